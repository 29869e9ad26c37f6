// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against
// csr-emulators whose custom hostnames move through Cloudflare's validation lifecycle:
// --validation auto (one state per 200 ms step; a client polls `get` until active) and
// --validation manual (nothing moves until the /_emulator/ routes are called). Also a fault rule
// (POST /_emulator/faults) answering 500 once, which the SDK's own retry gets past. And renewal on
// the emulator's clock: after POST /_emulator/clock {"advance":"100d"} the SDK reads a renewed
// certificate (a new serial, an end 60 days later), which the edge serves (openssl s_client), and
// an uploaded certificate gone expired.
// Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk_lifecycle.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { eventually, loadPinnedSdk, startEmulator } from './emulator.mjs';

const { default: Cloudflare, InternalServerError } = await loadPinnedSdk();

const STEP_MS = 200;
const POLL_MS = 20;
const POLL_LIMIT_MS = 20_000;
// Cloudflare's certificate order (README, Validation lifecycle).
const SSL_ORDER = ['initializing', 'pending_validation', 'pending_issuance', 'pending_deployment', 'active'];
const OWNERSHIP_ORDER = ['pending', 'active'];

let auto;
let manual;
let renewing;  // its clock is advanced: apart from `auto`, whose tests compare with real time

before(async () => {
  auto = await startEmulator(['--key-pool', '0', '--validation', 'auto', '--validation-step', String(STEP_MS)]);
  manual = await startEmulator(['--key-pool', '0', '--validation', 'manual']);
  renewing = await startEmulator(['--key-pool', '0', '--validation', 'auto', '--validation-step', String(STEP_MS),
    '--edge-listen', '127.0.0.1:0']);
});

process.on('exit', (code) => {
  if (code === 0) return;
  for (const [name, e] of [['auto', auto], ['manual', manual], ['renewing', renewing]]) {
    if (e) process.stderr.write(`\n--- csr-emulator (${name}) stderr ---\n${e.stderr()}`);
  }
});

after(async () => {
  for (const e of [auto, manual, renewing]) {
    if (!e) continue;
    const { code, signal, extraStdout } = await e.stop();
    assert.equal(signal, null, `csr-emulator died of ${signal}; stderr:\n${e.stderr()}`);
    assert.equal(code, 0, `csr-emulator exited with ${code} after SIGTERM; stderr:\n${e.stderr()}`);
    assert.equal(extraStdout, '', 'nothing on stdout after the listening line');
  }
});

const newZone = () => randomBytes(16).toString('hex');

/** An SDK client for `emulator`; every request it sends is pushed to `sent` as { method, path, status }. */
function client(emulator, { sent = [], ...options } = {}) {
  return new Cloudflare({
    apiToken: 'lifecycle-token',
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: `${emulator.url}/client/v4`,
    fetch: async (url, init) => {
      const entry = { method: init?.method ?? 'GET', path: new URL(url).pathname };
      sent.push(entry);
      const response = await fetch(url, init);
      entry.status = response.status;
      return response;
    },
    ...options,
  });
}

async function emulatorCall(emulator, method, path, body) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function journal(emulator, query) {
  const { status, body } = await emulatorCall(emulator, 'GET', `/_emulator/journal?${new URLSearchParams(query)}`);
  assert.equal(status, 200);
  assert.equal(body.success, true);
  return body.result;
}

async function caSign(emulator, csrPem) {
  const response = await fetch(`${emulator.url}/_emulator/ca/sign`, { method: 'POST', body: csrPem });
  assert.equal(response.status, 200);
  const chain = await response.text();
  assert.equal(chain.match(/-----BEGIN CERTIFICATE-----/g)?.length, 2, chain);
  return chain;
}

const csrParams = (zone_id, name) => ({
  zone_id,
  country: 'US',
  state: 'California',
  locality: 'San Francisco',
  organization: 'Acme, Inc.',
  common_name: name,
  sans: [name],
  key_type: 'p256v1',
});

/** `seen` (with repeats collapsed) is a subsequence of `order`, in order. */
function assertSubsequence(seen, order, what) {
  const distinct = seen.filter((s, i) => i === 0 || s !== seen[i - 1]);
  let at = 0;
  for (const s of distinct) {
    const found = order.indexOf(s, at);
    assert.ok(found >= 0, `${what}: ${JSON.stringify(distinct)} is not in Cloudflare's order ${JSON.stringify(order)}`);
    at = found + 1;
  }
  return distinct;
}

/** Polls `get` until both statuses are active; returns [last hostname, ownership seen, ssl seen]. */
async function pollUntilActive(cf, id, zone_id, created) {
  const ownership = [created.status];
  const ssl = [created.ssl.status];
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const got = await cf.customHostnames.get(id, { zone_id });
    ownership.push(got.status);
    ssl.push(got.ssl.status);
    if (got.status === 'active' && got.ssl.status === 'active') return [got, ownership, ssl];
    assert.ok(Date.now() < deadline, `not active within ${POLL_LIMIT_MS} ms: ${JSON.stringify([ownership, ssl])}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe('--validation auto: the SDK polls customHostnames.get until active', () => {
  test('a Cloudflare-managed DV hostname goes through every certificate state and ends issued', async () => {
    const cf = client(auto);
    const zone_id = newZone();
    const created = await cf.customHostnames.create({
      zone_id,
      hostname: 'shop.customer.io',
      ssl: { method: 'http', type: 'dv' },
    });
    assert.equal(created.hostname, 'shop.customer.io');
    assert.equal(created.status, 'pending');
    assert.equal(created.ssl.status, 'initializing');
    assert.equal(created.ssl.method, 'http');
    assert.equal(created.ssl.type, 'dv');
    assert.equal(created.ssl.issuer, undefined, 'nothing issued yet');
    // Cloudflare's create answer: no DCV records yet (its docs: read them with a later GET).
    assert.equal(created.ssl.validation_records, undefined);

    const [active, ownership, ssl] = await pollUntilActive(cf, created.id, zone_id, created);
    assert.deepEqual(assertSubsequence(ownership, OWNERSHIP_ORDER, 'status'), OWNERSHIP_ORDER);
    const sslSeen = assertSubsequence(ssl, SSL_ORDER, 'ssl.status');
    assert.equal(sslSeen[0], 'initializing');
    assert.equal(sslSeen.at(-1), 'active');
    // Polling every 20 ms against a 200 ms step: at least one state between the ends is visible.
    assert.ok(sslSeen.length >= 3, `only ${JSON.stringify(sslSeen)} seen`);

    assert.match(active.ssl.issuer, /^csr-emulator Test Intermediate CA /);
    assert.equal(active.ssl.certificate_authority, 'google', "no CA asked for: Cloudflare's default is named");
    assert.match(active.ssl.serial_number, /^[0-9]+$/);
    const expires = Date.parse(active.ssl.expires_on);
    assert.ok(!Number.isNaN(expires), active.ssl.expires_on);
    const days = (expires - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days <= 90, `expires in ${days} days, not 90`);
    assert.equal(active.ssl.validation_records, undefined, 'validation records go once active');
    // Settled: a later read shows the same.
    assert.deepEqual(await cf.customHostnames.get(created.id, { zone_id }), active);
  });

  test('a hostname with an uploaded certificate (custom CSR signed by the test CA) deploys after ownership', async () => {
    const cf = client(auto);
    const zone_id = newZone();
    const csr = await cf.customCsrs.create(csrParams(zone_id, 'up.customer.io'));
    const chain = await caSign(auto, csr.csr);
    const created = await cf.customHostnames.create({
      zone_id,
      hostname: 'up.customer.io',
      ssl: { custom_csr_id: csr.id, custom_certificate: chain },
    });
    assert.equal(created.status, 'pending');
    assert.equal(created.ssl.status, 'pending_deployment', 'README: an uploaded certificate starts pending_deployment');
    assert.equal(created.ssl.custom_csr_id, csr.id);

    const [active, ownership, ssl] = await pollUntilActive(cf, created.id, zone_id, created);
    assert.deepEqual(assertSubsequence(ownership, OWNERSHIP_ORDER, 'status'), OWNERSHIP_ORDER);
    assert.deepEqual(assertSubsequence(ssl, SSL_ORDER, 'ssl.status'), ['pending_deployment', 'active']);
    assert.equal(active.ssl.custom_csr_id, csr.id);
    assert.match(active.ssl.issuer, /^csr-emulator Test Intermediate CA /);
    assert.equal(active.ssl.certificate_authority, undefined, "the customer's own certificate: no CA named");
  });
});

describe('--validation manual: nothing moves until the emulator routes are called', () => {
  test('verify_ownership and four advance_certificate calls; the SDK sees each change', async () => {
    const cf = client(manual);
    const zone_id = newZone();
    const created = await cf.customHostnames.create({
      zone_id,
      hostname: 'manual.customer.io',
      ssl: { method: 'http', type: 'dv' },
    });
    assert.equal(created.status, 'pending');
    assert.equal(created.ssl.status, 'initializing');
    assert.equal(created.ssl.validation_records, undefined, 'none in the create answer');
    assert.equal(created.ownership_verification.name, '_cf-custom-hostname.manual.customer.io');

    // Well past several auto steps: still where it started.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const still = await cf.customHostnames.get(created.id, { zone_id });
    assert.equal(still.status, 'pending');
    assert.equal(still.ssl.status, 'initializing');

    const route = `/_emulator/zones/${zone_id}/custom_hostnames/${created.id}`;
    const verified = await emulatorCall(manual, 'POST', `${route}/verify_ownership`);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.result.status, 'active');
    let got = await cf.customHostnames.get(created.id, { zone_id });
    assert.equal(got.status, 'active');
    assert.equal(got.ssl.status, 'initializing');
    assert.equal(got.ownership_verification, undefined, 'ownership proven: no longer shown');
    assert.equal(got.ownership_verification_http, undefined);

    for (const next of SSL_ORDER.slice(1)) {
      const advanced = await emulatorCall(manual, 'POST', `${route}/advance_certificate`);
      assert.equal(advanced.status, 200, JSON.stringify(advanced.body));
      assert.equal(advanced.body.result.ssl.status, next);
      got = await cf.customHostnames.get(created.id, { zone_id });
      assert.equal(got.ssl.status, next);
      if (next === 'pending_validation') {
        // The records a customer publishes, on this later GET: Cloudflare's documented HTTP form.
        assert.equal(got.ssl.validation_records.length, 1);
        const [record] = got.ssl.validation_records;
        assert.match(record.http_body, /^ca3-[0-9a-f]{32}$/);
        assert.equal(record.http_url, `http://manual.customer.io/.well-known/pki-validation/${record.http_body}.txt`);
      }
    }
    assert.equal(got.status, 'active');
    assert.match(got.ssl.issuer, /^csr-emulator Test Intermediate CA /);
    assert.equal(got.ssl.certificate_authority, 'google');
    assert.match(got.ssl.serial_number, /^[0-9]+$/);
    assert.ok(!Number.isNaN(Date.parse(got.ssl.expires_on)), got.ssl.expires_on);

    // Nothing left to advance: 409 / 1400.
    const beyond = await emulatorCall(manual, 'POST', `${route}/advance_certificate`);
    assert.equal(beyond.status, 409);
    assert.equal(beyond.body.errors[0].code, 1400);
  });
});

describe('a fault rule (500 / 1500, once) on POST custom_csrs', () => {
  const addRule = async (zone_id) => {
    const { status, body } = await emulatorCall(auto, 'POST', '/_emulator/faults', {
      method: 'POST', path: '/zones/*/custom_csrs', zone_id, action: 'respond',
      status: 500, code: 1500, message: 'Internal server error', times: 1,
    });
    assert.equal(status, 200, JSON.stringify(body));
    return body.result.id;
  };

  test("the SDK's built-in retry gets past it; the journal shows the 500 then the 201 with the same body", async () => {
    const zone_id = newZone();
    const ruleId = await addRule(zone_id);
    try {
      const sent = [];
      const cf = client(auto, { sent }); // the SDK's default: 2 retries on 5xx
      const created = await cf.customCsrs.create(csrParams(zone_id, 'app.acme.io'));
      assert.equal(created.common_name, 'app.acme.io');
      const path = `/client/v4/zones/${zone_id}/custom_csrs`;
      assert.deepEqual(sent.map(({ method, path, status }) => [method, path, status]),
        [['POST', path, 500], ['POST', path, 201]]);

      const entries = await journal(auto, { path_prefix: path });
      assert.deepEqual(entries.map(({ method, status, error_codes }) => ({ method, status, error_codes })), [
        { method: 'POST', status: 500, error_codes: [1500] },
        { method: 'POST', status: 201, error_codes: [] },
      ]);
      assert.deepEqual(entries[0].response_body.errors, [{ code: 1500, message: 'Internal server error' }]);
      assert.deepEqual(entries[0].request_body, entries[1].request_body, 'the retry resent the same body');
      assert.equal(entries[1].response_body.result.id, created.id);

      const { body } = await emulatorCall(auto, 'GET', '/_emulator/faults');
      const rule = body.result.find((r) => r.id === ruleId);
      assert.ok(rule, JSON.stringify(body.result));
      assert.equal(rule.fired, 1, JSON.stringify(rule));
    } finally {
      await emulatorCall(auto, 'DELETE', `/_emulator/faults/${ruleId}`);
    }
  });

  test('with maxRetries 0 the SDK throws InternalServerError carrying 500 and the error', async () => {
    const zone_id = newZone();
    const ruleId = await addRule(zone_id);
    try {
      const sent = [];
      const cf = client(auto, { sent, maxRetries: 0 });
      await assert.rejects(cf.customCsrs.create(csrParams(zone_id, 'app.acme.io')), (error) => {
        assert.ok(error instanceof InternalServerError, `expected InternalServerError, got ${error?.constructor?.name}: ${error}`);
        assert.equal(error.status, 500);
        assert.deepEqual(error.errors, [{ code: 1500, message: 'Internal server error' }]);
        return true;
      });
      assert.deepEqual(sent.map(({ status }) => status), [500]);
      // The rule fired its once: the next create goes through, and nothing was created before.
      assert.deepEqual((await cf.customCsrs.list({ zone_id })).result, []);
      await cf.customCsrs.create(csrParams(zone_id, 'app.acme.io'));
      assert.deepEqual(sent.map(({ status }) => status), [500, 200, 201]);
    } finally {
      await emulatorCall(auto, 'DELETE', `/_emulator/faults/${ruleId}`);
    }
  });
});

describe('100 days on the clock: the SDK reads a renewed DV certificate and an expired upload; the edge serves the new pair', () => {
  test('DV: active again with a new pair (its pending_deployment, at day 60, is over); the edge serves it; uploaded: expired', async () => {
    const cf = client(renewing);
    const zone_id = newZone();
    const created = await cf.customHostnames.create({
      zone_id,
      hostname: 'renew.customer.io',
      ssl: { method: 'txt', type: 'dv' },
    });
    const [active] = await pollUntilActive(cf, created.id, zone_id, created);
    const firstEnd = Date.parse(active.ssl.expires_on);
    // An uploaded certificate (90 days from the test CA) beside it: it never renews.
    const csr = await cf.customCsrs.create(csrParams(zone_id, 'upload.customer.io'));
    const uploaded = await cf.customHostnames.create({
      zone_id,
      hostname: 'upload.customer.io',
      ssl: { custom_csr_id: csr.id, custom_certificate: await caSign(renewing, csr.csr) },
    });
    const [uploadedActive] = await pollUntilActive(cf, uploaded.id, zone_id, uploaded);
    const root = await (await fetch(`${renewing.url}/_emulator/ca/root.pem`)).text();
    const before = edgeLeaf(renewing, 'renew.customer.io', root);
    assert.ok(active.ssl.certificates.some((c) => c.serial_number === before.serial), 'the edge serves the first pair');

    const advanced = await emulatorCall(renewing, 'POST', '/_emulator/clock', { advance: '100d' });
    assert.equal(advanced.status, 200);

    // Renewal started at day 60 (90 - 30) and deployed one step later, both long before the
    // clock's now: the first read already shows the new pair active.
    const seen = [];
    const renewed = await eventually(
      async () => {
        const got = await cf.customHostnames.get(created.id, { zone_id });
        seen.push(got.ssl.status);
        return got;
      },
      (got) => got.ssl.status === 'active' && got.ssl.serial_number !== active.ssl.serial_number,
      'the renewed pair active',
      { timeoutMs: POLL_LIMIT_MS, pauseMs: POLL_MS },
    );
    assertSubsequence(seen, ['active', 'pending_deployment', 'active'], 'ssl.status during renewal');
    assert.equal(renewed.status, 'active');
    assert.match(renewed.ssl.serial_number, /^[0-9]+$/);
    assert.notEqual(renewed.ssl.certificates[1].serial_number, active.ssl.certificates[1].serial_number, 'RSA too');
    assert.notEqual(renewed.ssl.certificates[0].fingerprint_sha256, active.ssl.certificates[0].fingerprint_sha256);
    // Issued at the renewal (day 60 plus a step), so it ends ~60 days after the first.
    const days = (Date.parse(renewed.ssl.expires_on) - firstEnd) / 86_400_000;
    assert.ok(days > 59.99 && days < 60.01, `the new pair ends ${days} days after the first`);
    assert.equal(renewed.ssl.validation_records, undefined);

    // Through the edge: the renewed pair, verified against the test root, ending when the SDK says.
    const after = edgeLeaf(renewing, 'renew.customer.io', root);
    assert.ok(renewed.ssl.certificates.some((c) => c.serial_number === after.serial), `${after.serial} is not the new pair`);
    assert.equal(after.notAfter, Date.parse(renewed.ssl.expires_on));

    // The upload passed its end (day 90): expired, and no longer served.
    const lapsed = await cf.customHostnames.get(uploaded.id, { zone_id });
    assert.equal(uploadedActive.ssl.status, 'active');
    assert.equal(lapsed.ssl.status, 'expired');
    assert.equal(lapsed.ssl.serial_number, uploadedActive.ssl.serial_number);
    assert.equal(edgeLeaf(renewing, 'upload.customer.io', root, { expectFailure: true }), null);
    process.stdout.write(`# 100 days: DV ssl.status seen ${JSON.stringify(assertSubsequence(seen, ['active', 'pending_deployment', 'active'], 'seen'))}, ` +
      `uploaded ${uploadedActive.ssl.status} -> ${lapsed.ssl.status}\n`);
  });
});

/**
 * The leaf the edge serves for `name` (openssl s_client, verified against `root` at the emulator's time):
 * { serial (decimal), notAfter (ms) }, or null when the handshake fails and `expectFailure`.
 */
function edgeLeaf(emulator, name, root, { expectFailure = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'edge-leaf-'));
  try {
    const rootFile = join(dir, 'root.pem');
    writeFileSync(rootFile, root);
    const { hostname, port } = new URL(emulator.edgeUrl);
    // Verified at the emulator's time: its certificates are dated on its clock.
    const clock = spawnSync('curl', ['-s', `${emulator.url}/_emulator/clock`], { encoding: 'utf8' }).stdout;
    const at = Math.floor(Date.parse(JSON.parse(clock).result.now) / 1000);
    const handshake = spawnSync('openssl', ['s_client', '-connect', `${hostname}:${port}`, '-servername', name,
      '-CAfile', rootFile, '-verify_return_error', '-attime', String(at)], { input: '', encoding: 'utf8', timeout: 20_000 });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(handshake.stdout)?.[0];
    if (expectFailure) {
      assert.equal(pem, undefined, `a certificate was served for ${name}`);
      return null;
    }
    assert.ok(pem && /Verify return code: 0 \(ok\)/.test(handshake.stdout), `${name}: ${handshake.stdout}${handshake.stderr}`);
    const facts = spawnSync('openssl', ['x509', '-noout', '-serial', '-enddate'], { input: pem, encoding: 'utf8' }).stdout;
    const serial = BigInt(`0x${/serial=([0-9A-F]+)/.exec(facts)[1]}`).toString();
    const notAfter = Date.parse(/notAfter=(.+)/.exec(facts)[1]);
    return { serial, notAfter };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
