// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against the
// emulator's zones and Origin CA: zones.create / list / get / delete, then
// originCACertificates.create / list / get / delete with the Origin CA service key, each
// certificate checked with `openssl verify` against the published root. Then the same SDK with
// its default base URL, https://api.cloudflare.com/client/v4, reaching the emulator's TLS
// listener (--api-tls-listen) through a fetch that connects api.cloudflare.com to 127.0.0.1 and
// trusts the test root.
// Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk_origin_ca.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadPinnedSdk, showStderrOnFailure, startEmulator, stopCleanly } from './emulator.mjs';

const { default: Cloudflare } = await loadPinnedSdk();

const ACCOUNT = '01a7362d577a6c3019a474fd6f485823';
const SERVICE_KEY = `v1.0-0123456789abcdef01234567-${'c'.repeat(146)}`;
const work = mkdtempSync(join(tmpdir(), 'csr-emulator-origin-ca-'));

let emulator;

before(async () => {
  emulator = await startEmulator(['--key-pool', '0', '--api-tls-listen', '127.0.0.1:0']);
  showStderrOnFailure(emulator);
});

after(() => stopCleanly(emulator));

const clientOptions = { apiKey: null, apiEmail: null, maxRetries: 0 };
const tokenClient = () => new Cloudflare({ ...clientOptions, apiToken: 'test', userServiceKey: null, baseURL: `${emulator.url}/client/v4` });
const keyClient = () => new Cloudflare({ ...clientOptions, apiToken: null, userServiceKey: SERVICE_KEY, baseURL: `${emulator.url}/client/v4` });

function openssl(...args) {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A CSR made here, its key kept here: what a customer sends Origin CA. */
function customerCsr(name, keyArgs) {
  const key = join(work, `${name}.key`);
  const csr = join(work, `${name}.csr`);
  const made = openssl('req', '-new', '-nodes', ...keyArgs, '-keyout', key, '-subj', `/CN=${name}`, '-out', csr);
  assert.equal(made.status, 0, made.out);
  return { key, csr: readFileSync(csr, 'utf8') };
}

async function emulatorFile(path) {
  const response = await fetch(`${emulator.url}${path}`);
  assert.equal(response.status, 200);
  const file = join(work, path.replaceAll('/', '_'));
  writeFileSync(file, await response.text());
  return file;
}

function verifies(rootFile, certificate) {
  const leaf = join(work, 'leaf.pem');
  writeFileSync(leaf, certificate);
  return openssl('verify', '-CAfile', rootFile, leaf).out.includes(': OK');
}

describe('zones', () => {
  test('create, list by name (auto-paging), get, delete', async () => {
    const cf = tokenClient();
    const zone = await cf.zones.create({ name: 'sdk-zone.io', account: { id: ACCOUNT } });
    assert.equal(zone.name, 'sdk-zone.io');
    assert.equal(zone.status, 'active');
    assert.equal(zone.account.id, ACCOUNT);
    const listed = [];
    for await (const z of cf.zones.list({ name: 'sdk-zone.io' })) listed.push(z.id);
    assert.deepEqual(listed, [zone.id]);
    assert.equal((await cf.zones.get({ zone_id: zone.id })).name, 'sdk-zone.io');
    assert.deepEqual(await cf.zones.delete({ zone_id: zone.id }), { id: zone.id });
    await assert.rejects(cf.zones.get({ zone_id: zone.id }), (error) => error.status === 404 && error.errors[0].code === 1001);
  });
});

describe('originCACertificates', () => {
  test('create (service key), verify against origin-rsa.pem, list, get, revoke', async () => {
    const zone = await tokenClient().zones.create({ name: 'sdk-origin.io', account: { id: ACCOUNT } });
    const cf = keyClient();
    const { key, csr } = customerCsr('www.sdk-origin.io', ['-newkey', 'rsa:2048']);
    const certificate = await cf.originCACertificates.create({
      csr,
      hostnames: ['sdk-origin.io', '*.sdk-origin.io'],
      request_type: 'origin-rsa',
      requested_validity: 365,
    });
    assert.match(certificate.id, /^[0-9]{48}$/);
    assert.deepEqual(certificate.hostnames, ['sdk-origin.io', '*.sdk-origin.io']);
    assert.match(certificate.expires_on, / \+0000 UTC$/);
    assert.ok(verifies(await emulatorFile('/_emulator/ca/origin-rsa.pem'), certificate.certificate));
    assert.ok(!verifies(await emulatorFile('/_emulator/ca/root.pem'), certificate.certificate));
    const leafKey = openssl('x509', '-in', join(work, 'leaf.pem'), '-noout', '-pubkey').out;
    assert.equal(leafKey, openssl('pkey', '-in', key, '-pubout').out);

    const listed = [];
    for await (const c of cf.originCACertificates.list({ zone_id: zone.id })) listed.push(c.id);
    assert.deepEqual(listed, [certificate.id]);
    assert.equal((await cf.originCACertificates.get(certificate.id)).certificate, certificate.certificate);
    const revoked = await cf.originCACertificates.delete(certificate.id);
    assert.equal(revoked.id, certificate.id);
    assert.ok(revoked.revoked_at);
  });

  test('a hostname outside the account\'s zones: BadRequestError with code 1010', async () => {
    const { csr } = customerCsr('www.not-ours.io', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    await assert.rejects(
      keyClient().originCACertificates.create({ csr, hostnames: ['www.not-ours.io'], request_type: 'origin-ecc' }),
      (error) => error.status === 400 && error.errors[0].code === 1010,
    );
  });
});

/**
 * fetch for the SDK's default base URL: https://api.cloudflare.com (port 443) is connected to the
 * emulator's TLS port on 127.0.0.1, the name checked against the certificate, trusting `ca`.
 */
function emulatorFetch(port, ca) {
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input.url);
      assert.equal(url.origin, 'https://api.cloudflare.com');
      const request = httpsRequest(
        {
          host: url.hostname,
          port,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers)),
          ca,
          lookup: (host, options, callback) =>
            options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () =>
            resolve(new Response(Buffer.concat(chunks), { status: response.statusCode, headers: response.headers })));
        },
      );
      request.on('error', reject);
      if (init.body) request.write(init.body);
      request.end();
    });
}

describe('the default base URL over TLS (--api-tls-listen)', () => {
  test('zones and Origin CA at https://api.cloudflare.com/client/v4, trusting only the test root', async () => {
    assert.ok(emulator.tlsUrl, 'the emulator printed its TLS line');
    const port = Number(new URL(emulator.tlsUrl).port);
    const root = readFileSync(await emulatorFile('/_emulator/ca/root.pem'), 'utf8');
    const cf = new Cloudflare({ ...clientOptions, apiToken: 'test', userServiceKey: null, fetch: emulatorFetch(port, root) });
    assert.equal(cf.baseURL, 'https://api.cloudflare.com/client/v4');
    const zone = await cf.zones.create({ name: 'tls-origin.io', account: { id: ACCOUNT } });
    assert.equal((await cf.zones.get({ zone_id: zone.id })).name, 'tls-origin.io');
    const { csr } = customerCsr('www.tls-origin.io', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const certificate = await cf.originCACertificates.create({ csr, hostnames: ['www.tls-origin.io'], request_type: 'origin-ecc' });
    assert.ok(verifies(await emulatorFile('/_emulator/ca/origin-ecc.pem'), certificate.certificate));
    // Trusting the system roots only, the emulator's certificate is refused.
    const untrusting = new Cloudflare({ ...clientOptions, apiToken: 'test', userServiceKey: null, fetch: emulatorFetch(port, undefined) });
    await assert.rejects(untrusting.zones.get({ zone_id: zone.id }));
  });
});
