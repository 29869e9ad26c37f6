// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against the
// emulator's advanced certificate packs: ssl.certificatePacks.create / get / list (auto-paging) /
// edit / delete / quota.get, ssl.verification.get / edit and a custom hostname's
// customHostnames.certificatePack.certificates.update / delete, polling a pack from its order to
// `active` (--validation auto) as automation does, and reading its refusals as APIError.
// Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk_certificate_packs.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { eventually, loadPinnedSdk, showStderrOnFailure, startEmulator, stopCleanly } from './emulator.mjs';

const { default: Cloudflare } = await loadPinnedSdk();

const ZONE = '5e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b';
let emulator;

before(async () => {
  emulator = await startEmulator(['--zone', `sdk-packs.io:${ZONE}`, '--validation', 'auto', '--validation-step', '200']);
  showStderrOnFailure(emulator);
});

after(() => stopCleanly(emulator));

const client = () =>
  new Cloudflare({ apiToken: 'test', apiKey: null, apiEmail: null, maxRetries: 0, baseURL: `${emulator.url}/client/v4` });

test('order, poll to active, list, quota, verification, delete', async () => {
  const cf = client();
  const ordered = await cf.ssl.certificatePacks.create({
    zone_id: ZONE,
    type: 'advanced',
    hosts: ['sdk-packs.io', 'www.sdk-packs.io'],
    validation_method: 'txt',
    validity_days: 90,
    certificate_authority: 'google',
  });
  assert.equal(ordered.status, 'initializing');
  assert.equal(ordered.validation_records, undefined);
  assert.deepEqual(ordered.certificates, []);

  // What automation must do: wait for the records instead of reading them from the order.
  const pending = await eventually(
    () => cf.ssl.certificatePacks.get(ordered.id, { zone_id: ZONE }),
    (p) => (p.validation_records ?? []).length > 0 || p.status === 'active',
    'validation records',
  );
  if (pending.status === 'pending_validation')
    assert.equal(pending.validation_records[0].txt_name, '_acme-challenge.sdk-packs.io');

  const active = await eventually(
    () => cf.ssl.certificatePacks.get(ordered.id, { zone_id: ZONE }),
    (p) => p.status === 'active',
    'pack active',
  );
  assert.equal(active.certificates.length, 2);
  assert.deepEqual(active.certificates[0].hosts, ['sdk-packs.io', 'www.sdk-packs.io']);
  assert.equal(active.primary_certificate, active.certificates[0].id);

  const listed = [];
  for await (const pack of cf.ssl.certificatePacks.list({ zone_id: ZONE })) listed.push(pack.id);
  assert.deepEqual(listed, [ordered.id]);
  assert.deepEqual(await cf.ssl.certificatePacks.quota.get({ zone_id: ZONE }), { advanced: { allocated: 100, used: 1 } });

  const verification = await cf.ssl.verification.get({ zone_id: ZONE, retry: true });
  assert.equal(verification.length, 1);
  assert.equal(verification[0].cert_pack_uuid, ordered.id);
  assert.equal(verification[0].certificate_status, 'active');

  // Restarting an active pack is refused, as a typed APIError.
  await assert.rejects(cf.ssl.certificatePacks.edit(ordered.id, { zone_id: ZONE }),
    (error) => error.status === 400 && error.errors[0].code === 1466);
  const branded = await cf.ssl.certificatePacks.edit(ordered.id, { zone_id: ZONE, cloudflare_branding: true });
  assert.equal(branded.cloudflare_branding, true);

  assert.deepEqual(await cf.ssl.certificatePacks.delete(ordered.id, { zone_id: ZONE }), { id: ordered.id });
  await assert.rejects(cf.ssl.certificatePacks.get(ordered.id, { zone_id: ZONE }),
    (error) => error.status === 404 && error.errors[0].code === 1465);
});

test('an order outside the zone is refused; the validation method of a pending pack changes', async () => {
  const cf = client();
  await assert.rejects(
    cf.ssl.certificatePacks.create({
      zone_id: ZONE, type: 'advanced', hosts: ['www.sdk-packs.io'], validation_method: 'txt',
      validity_days: 30, certificate_authority: 'lets_encrypt',
    }),
    (error) => error.status === 400 && error.errors[0].code === 1461);
  const ordered = await cf.ssl.certificatePacks.create({
    zone_id: ZONE, type: 'advanced', hosts: ['sdk-packs.io'], validation_method: 'txt',
    validity_days: 30, certificate_authority: 'ssl_com',
  });
  const changed = await cf.ssl.verification.edit(ordered.id, { zone_id: ZONE, validation_method: 'http' });
  assert.equal(changed.validation_method, 'http');
  await cf.ssl.certificatePacks.delete(ordered.id, { zone_id: ZONE });
});

/** A P-256 key and the test CA's chain (leaf + intermediate) for `name`, signed from a CSR made
 * with openssl: what a customer uploads with custom_key. */
function keyAndChainFor(name) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const dir = mkdtempSync(join(tmpdir(), 'pack-cert-'));
  writeFileSync(join(dir, 'key.pem'), key);
  const csr = spawnSync('openssl', ['req', '-new', '-key', join(dir, 'key.pem'), '-subj', `/CN=${name}`,
    '-addext', `subjectAltName=DNS:${name}`], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(csr.status, 0, csr.stderr);
  return { key, csr: csr.stdout };
}

async function caSign(csr) {
  const response = await fetch(`${emulator.url}/_emulator/ca/sign`, {
    method: 'POST', headers: { 'content-type': 'application/pkcs10' }, body: csr,
  });
  assert.equal(response.status, 200);
  return response.text();
}

test('a custom hostname\'s pack certificate replaced (update) and the last one kept (delete refused)', async () => {
  const cf = client();
  const first = keyAndChainFor('cert.sdk-packs.io');
  const created = await cf.customHostnames.create({
    zone_id: ZONE, hostname: 'cert.sdk-packs.io',
    ssl: { custom_certificate: await caSign(first.csr), custom_key: first.key },
  });
  const pack = created.ssl.id;
  const [certificate] = created.ssl.certificates;
  assert.match(certificate.id, /^[0-9a-f-]{36}$/);

  const second = keyAndChainFor('cert.sdk-packs.io');
  const chain = await caSign(second.csr);
  const replaced = await cf.customHostnames.certificatePack.certificates.update(certificate.id, {
    zone_id: ZONE, custom_hostname_id: created.id, certificate_pack_id: pack,
    custom_certificate: chain, custom_key: second.key,
  });
  assert.equal(replaced.id, created.id);
  assert.equal(replaced.ssl.certificates[0].id, certificate.id);
  assert.equal(replaced.ssl.serial_number, BigInt('0x' + new X509Certificate(chain).serialNumber).toString());

  await assert.rejects(cf.customHostnames.certificatePack.certificates.delete(certificate.id, {
    zone_id: ZONE, custom_hostname_id: created.id, certificate_pack_id: pack,
  }), (error) => error.status === 409 && error.errors[0].code === 1451);
  await assert.rejects(cf.customHostnames.certificatePack.certificates.update(randomUUID(), {
    zone_id: ZONE, custom_hostname_id: created.id, certificate_pack_id: pack,
    custom_certificate: chain, custom_key: second.key,
  }), (error) => error.status === 404 && error.errors[0].code === 1436);
  await cf.customHostnames.delete(created.id, { zone_id: ZONE });
});
