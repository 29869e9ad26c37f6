// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against a
// csr-emulator in --validation dns: the checks ask a real DNS server (dnsmasq, through the
// dns_fixture binary), and the test publishes there what the SDK's answers tell a customer to
// publish, then polls through the SDK until `status` and `ssl.status` are active, as a user's
// code would. Also a hostname without records (pending, with its verification error) and the
// fallback origin, which must resolve before it is active.
// Run through CTest (which sets CSR_EMULATOR_BINARY and CSR_DNS_FIXTURE):
//   node --test test_typescript_sdk_dns.mjs
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { eventually, loadPinnedSdk, startDnsServer, startEmulator } from './emulator.mjs';

const { default: Cloudflare } = await loadPinnedSdk();

const STEP_MS = 50;
const BACKOFF_SCALE = '0.001'; // Cloudflare's first re-check after a minute: 60 ms
const POLL_MS = 50;
const POLL_LIMIT_MS = 30_000;
const FALLBACK_ORIGIN = 'fallback.saas.io'; // the SaaS provider's origin, which customers CNAME to
// Cloudflare's wordings (Cloudflare's documentation).
const TOKEN_NOT_FOUND =
  'None of the A or AAAA records are owned by this account and the pre-generated ownership verification token was not found.';
const ORIGIN_NOT_RESOLVING = 'DNS records are not setup correctly. Origin should be a proxied A/AAAA/CNAME dns record';

// What the DNS server holds: the provider's origin, and a record of the customer's domain so its
// missing names get NXDOMAIN (a plain "not there") rather than REFUSED.
const published = { cnames: [], txts: [], addresses: [[FALLBACK_ORIGIN, '127.0.0.1'], ['customer.io', '127.0.0.1']] };

let dns;
let emulator;
let cf;
const timings = [];

before(async () => {
  dns = await startDnsServer(published);
  emulator = await startEmulator(['--key-pool', '0', '--validation', 'dns', '--dns-server', dns.address,
    '--validation-step', String(STEP_MS), '--validation-backoff-scale', BACKOFF_SCALE]);
  cf = new Cloudflare({
    apiToken: 'dns-token',
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: `${emulator.url}/client/v4`,
  });
});

process.on('exit', (code) => {
  if (code !== 0 && emulator) process.stderr.write(`\n--- csr-emulator stderr ---\n${emulator.stderr()}`);
});

after(async () => {
  for (const line of timings) console.log(line);
  if (emulator) {
    const { code, signal, extraStdout } = await emulator.stop();
    assert.equal(signal, null, `csr-emulator died of ${signal}`);
    assert.equal(code, 0, `csr-emulator exited with ${code} after SIGTERM`);
    assert.equal(extraStdout, '', 'nothing on stdout after the listening line');
  }
  if (dns) await dns.stop();
});

const newZone = () => randomBytes(16).toString('hex');
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(2);

/** The customer (or provider) adds records at their DNS host. */
async function publish({ cnames = [], txts = [], addresses = [] }) {
  published.cnames.push(...cnames);
  published.txts.push(...txts);
  published.addresses.push(...addresses);
  await dns.replace(published);
}

/** Calls `read` every POLL_MS until `done(result)`; returns that result. */
const poll = (read, done, what) => eventually(read, done, what, { timeoutMs: POLL_LIMIT_MS, pauseMs: POLL_MS });

const bothActive = (h) => h.status === 'active' && h.ssl.status === 'active';

/** The zone's fallback origin set through the SDK and polled until active, as a provider does first. */
async function zoneWithFallbackOrigin() {
  const zone_id = newZone();
  await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: FALLBACK_ORIGIN });
  await poll(() => cf.customHostnames.fallbackOrigin.get({ zone_id }), (o) => o.status === 'active', 'fallback origin active');
  return zone_id;
}

function checkIssued(active, hostname) {
  assert.equal(active.hostname, hostname);
  assert.equal(active.verification_errors, undefined);
  assert.equal(active.ssl.validation_errors, undefined);
  assert.equal(active.ssl.validation_records, undefined, 'validation records go once active');
  assert.deepEqual(active.ssl.hosts, [hostname]);
  assert.match(active.ssl.issuer, /^csr-emulator Test Intermediate CA /);
  assert.equal(active.ssl.certificate_authority, 'google');
  assert.equal(active.ssl.certificates?.length, 2, 'the ECDSA and RSA certificates issued at active');
}

describe('--validation dns: the SDK polls until the DNS checks pass', () => {
  test('the fallback origin stays pending_deployment with its error until its record exists', async () => {
    const zone_id = newZone();
    const put = await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: 'origin.saas.io' });
    assert.equal(put.origin, 'origin.saas.io');
    assert.equal(put.status, 'pending_deployment');
    const pending = await poll(() => cf.customHostnames.fallbackOrigin.get({ zone_id }), (o) => o.errors,
      'the fallback origin error');
    assert.equal(pending.status, 'pending_deployment');
    assert.deepEqual(pending.errors, [ORIGIN_NOT_RESOLVING]);

    const added = performance.now();
    await publish({ cnames: [['origin.saas.io', FALLBACK_ORIGIN]] });
    const active = await poll(() => cf.customHostnames.fallbackOrigin.get({ zone_id }), (o) => o.status !== 'pending_deployment',
      'the fallback origin out of pending_deployment');
    timings.push(`dns mode, TypeScript SDK: fallback origin active ${seconds(added)} s after its record was published`);
    assert.equal(active.status, 'active');
    assert.equal(active.errors, undefined);
  });

  test('a hostname CNAMEd to the fallback origin: active, with its certificates issued', async () => {
    const zone_id = await zoneWithFallbackOrigin();
    const start = performance.now();
    const created = await cf.customHostnames.create({ zone_id, hostname: 'shop.customer.io', ssl: { method: 'txt', type: 'dv' } });
    assert.equal(created.status, 'pending');
    assert.equal(created.ssl.status, 'initializing');
    // The customer points the hostname at the provider's origin, as the provider told them.
    const { origin } = await cf.customHostnames.fallbackOrigin.get({ zone_id });
    await publish({ cnames: [['shop.customer.io', origin]] });
    const active = await poll(() => cf.customHostnames.get(created.id, { zone_id }), bothActive, 'shop.customer.io active');
    timings.push(`dns mode, TypeScript SDK: CNAME hostname create -> active in ${seconds(start)} s`);
    checkIssued(active, 'shop.customer.io');
  });

  test('a hostname proven by the TXT records the SDK shows: ownership_verification and the DCV record', async () => {
    const zone_id = await zoneWithFallbackOrigin();
    const start = performance.now();
    const created = await cf.customHostnames.create({ zone_id, hostname: 'txt.customer.io', ssl: { method: 'txt', type: 'dv' } });
    const ownership = created.ownership_verification;
    assert.equal(ownership.type, 'txt');
    assert.equal(ownership.name, '_cf-custom-hostname.txt.customer.io');
    // The DCV record comes with pending_validation; Cloudflare's docs advise reading it back.
    const validating = await poll(() => cf.customHostnames.get(created.id, { zone_id }),
      (h) => h.ssl.status === 'pending_validation' && h.ssl.validation_records?.[0]?.txt_name, 'the DCV TXT record');
    const [dcv] = validating.ssl.validation_records;
    assert.equal(dcv.txt_name, '_acme-challenge.txt.customer.io');
    assert.equal(validating.status, 'pending');
    assert.deepEqual(validating.verification_errors, [TOKEN_NOT_FOUND]);

    const published_at = performance.now();
    await publish({ txts: [[ownership.name, ownership.value], [dcv.txt_name, dcv.txt_value]] });
    const active = await poll(() => cf.customHostnames.get(created.id, { zone_id }), bothActive, 'txt.customer.io active');
    timings.push(`dns mode, TypeScript SDK: TXT hostname create -> active in ${seconds(start)} s ` +
      `(${seconds(published_at)} s after its records were published)`);
    checkIssued(active, 'txt.customer.io');
  });

  test('a hostname without records stays pending with its verification error', async () => {
    const zone_id = await zoneWithFallbackOrigin();
    const created = await cf.customHostnames.create({ zone_id, hostname: 'missing.customer.io', ssl: { method: 'txt', type: 'dv' } });
    const pending = await poll(() => cf.customHostnames.get(created.id, { zone_id }),
      (h) => h.verification_errors && h.ssl.status === 'pending_validation', 'the verification error');
    assert.equal(pending.status, 'pending');
    assert.deepEqual(pending.verification_errors, [TOKEN_NOT_FOUND]);
    assert.equal(pending.ssl.issuer, undefined, 'nothing issued');
    assert.equal(pending.ssl.validation_records[0].txt_name, '_acme-challenge.missing.customer.io');
  });
});
