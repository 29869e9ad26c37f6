// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against
// csr-emulator. Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadPinnedSdk, opensslReq, startEmulator } from './emulator.mjs';

const { default: Cloudflare } = await loadPinnedSdk();

const ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
const ACCOUNT_ID = '01a7362d577a6c3019a474fd6f485823';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = 'The custom CSR was not found.';
const ID_INVALID = 'The custom CSR ID is invalid. Check your input and try again.';

let emulator;
let baseURL;

before(async () => {
  emulator = await startEmulator();
  baseURL = `${emulator.url}/client/v4`;
});

// The emulator's log (one line per request) explains most failures: show it when there are any.
process.on('exit', (code) => {
  if (code !== 0 && emulator) process.stderr.write(`\n--- csr-emulator stderr ---\n${emulator.stderr()}`);
});

after(async () => {
  const { code, signal, extraStdout } = await emulator.stop();
  assert.equal(signal, null, `csr-emulator died of ${signal}; stderr:\n${emulator.stderr()}`);
  assert.equal(code, 0, `csr-emulator exited with ${code} after SIGTERM; stderr:\n${emulator.stderr()}`);
  assert.equal(extraStdout, '', 'csr-emulator printed more than the listening line on stdout');
});

/** A client with the token scheme; `requests` (if given) records every request the SDK sends
 * ({ method, url }) and, once answered, its status. */
function client({ requests, ...options } = {}) {
  return new Cloudflare({
    apiToken: 'test',
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL,
    // The SDK retries 408/409/429/5xx twice by default, with backoff. Zero retries means every
    // status the emulator sends reaches the test as sent, once, without timing-dependent delays.
    maxRetries: 0,
    fetch: requests
      ? async (url, init) => {
          const sent = { method: init?.method ?? 'GET', url: new URL(url) };
          requests.push(sent);
          const response = await fetch(url, init);
          sent.status = response.status;
          return response;
        }
      : undefined,
    ...options,
  });
}

const newZone = () => randomBytes(16).toString('hex');

function csrParams(overrides = {}) {
  const params = {
    country: 'US',
    state: 'California',
    locality: 'San Francisco',
    organization: 'Acme, Inc.',
    common_name: 'app.acme.io',
    sans: ['app.acme.io', 'www.acme.io'],
    key_type: 'p256v1',
    ...overrides,
  };
  for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
  return params;
}

function splitRfc2253(text) {
  return Object.fromEntries(
    text.split(/(?<!\\),/).map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq), part.slice(eq + 1).replace(/\\(.)/g, '$1')];
    }),
  );
}

function assertCsr(pem, { subject, sans, keyType }) {
  assert.ok(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n'), pem.slice(0, 80));
  assert.ok(pem.endsWith('-----END CERTIFICATE REQUEST-----\n'), pem.slice(-80));
  const verify = opensslReq(['-verify'], pem);
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout + verify.stderr, /verify OK/);

  const shown = opensslReq(['-subject', '-nameopt', 'RFC2253'], pem);
  assert.equal(shown.status, 0, shown.stderr);
  assert.deepEqual(splitRfc2253(shown.stdout.trim().replace(/^subject=/, '')), subject);

  const text = opensslReq(['-text'], pem);
  assert.equal(text.status, 0, text.stderr);
  const sanLine = /X509v3 Subject Alternative Name:.*\n\s*(.+)\n/.exec(text.stdout);
  assert.ok(sanLine, text.stdout);
  assert.equal(sanLine[1].trim(), sans.map((s) => `DNS:${s}`).join(', '));
  if (keyType === 'p256v1') {
    assert.match(text.stdout, /Public Key Algorithm: id-ecPublicKey/);
    assert.match(text.stdout, /ASN1 OID: prime256v1/);
    assert.match(text.stdout, /Signature Algorithm: ecdsa-with-SHA256/);
  } else {
    assert.match(text.stdout, /Public Key Algorithm: rsaEncryption/);
    assert.match(text.stdout, /Public-Key: \(2048 bit\)/);
    assert.match(text.stdout, /Signature Algorithm: sha256WithRSAEncryption/);
  }
}

/** Awaits `promise`, expecting the SDK to throw `ErrorClass` with this status, code and message
 * (a RegExp for messages the emulator ends with the certificate verifier's detail). */
async function assertApiError(promise, ErrorClass, status, code, message) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${error?.constructor?.name}: ${error}`);
    assert.equal(error.status, status);
    assert.equal(error.errors.length, 1, JSON.stringify(error.errors));
    assert.equal(error.errors[0].code, code, JSON.stringify(error.errors));
    if (message instanceof RegExp) assert.match(error.errors[0].message, message);
    else if (message !== undefined) assert.equal(error.errors[0].message, message);
    return true;
  });
}

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('custom CSRs', () => {
  test('create p256v1: fields, SAN order, a CSR openssl verifies', async () => {
    const cf = client();
    const params = csrParams({
      zone_id: newZone(),
      organizational_unit: 'Platform',
      name: 'edge p256',
      description: 'for the EU edge',
      sans: ['www.acme.io', 'app.acme.io', 'api.acme.io'],
    });
    const created = await cf.customCsrs.create(params);
    assert.match(created.id, UUID_RE);
    assert.ok(!Number.isNaN(Date.parse(created.created_at)), created.created_at);
    assert.equal(created.key_type, 'p256v1');
    for (const field of ['country', 'state', 'locality', 'organization', 'organizational_unit', 'common_name', 'name', 'description']) {
      assert.equal(created[field], params[field], field);
    }
    assert.deepEqual(created.sans, ['www.acme.io', 'app.acme.io', 'api.acme.io']);
    assert.equal(created.account_tag, undefined);
    assert.equal(created.private_key, undefined);
    assertCsr(created.csr, {
      keyType: 'p256v1',
      sans: params.sans,
      subject: { CN: 'app.acme.io', OU: 'Platform', O: 'Acme, Inc.', L: 'San Francisco', ST: 'California', C: 'US' },
    });
  });

  test('create rsa2048 (the default key type)', async () => {
    const created = await client().customCsrs.create(
      csrParams({ zone_id: newZone(), key_type: undefined, common_name: 'shop.acme.io', sans: ['shop.acme.io'] }),
    );
    assert.equal(created.key_type, 'rsa2048');
    assert.deepEqual(created.sans, ['shop.acme.io']);
    assert.equal(created.organizational_unit, undefined);
    assertCsr(created.csr, {
      keyType: 'rsa2048',
      sans: ['shop.acme.io'],
      subject: { CN: 'shop.acme.io', O: 'Acme, Inc.', L: 'San Francisco', ST: 'California', C: 'US' },
    });
  });

  test('create rsa2048 explicitly', async () => {
    const created = await client().customCsrs.create(csrParams({ zone_id: newZone(), key_type: 'rsa2048' }));
    assert.equal(created.key_type, 'rsa2048');
    assertCsr(created.csr, {
      keyType: 'rsa2048',
      sans: ['app.acme.io', 'www.acme.io'],
      subject: { CN: 'app.acme.io', O: 'Acme, Inc.', L: 'San Francisco', ST: 'California', C: 'US' },
    });
  });

  test('get by id equals what create returned', async () => {
    const cf = client();
    const zone_id = newZone();
    for (const key_type of ['p256v1', 'rsa2048']) {
      const created = await cf.customCsrs.create(csrParams({ zone_id, key_type }));
      assert.deepEqual(await cf.customCsrs.get(created.id, { zone_id }), created);
    }
  });

  test('list: for await walks pages of 5 (5, 5, 2, then the empty page 4) in creation order', async () => {
    const cf = client();
    const zone_id = newZone();
    const ids = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await cf.customCsrs.create(csrParams({ zone_id, common_name: `n${i}.acme.io`, sans: [`n${i}.acme.io`] }))).id);
    }
    assert.equal(new Set(ids).size, 12);

    const requests = [];
    const listed = await collect(client({ requests }).customCsrs.list({ zone_id, per_page: 5 }));
    assert.deepEqual(listed.map((c) => c.id), ids);
    // The SDK asks page+1 until a page comes back empty.
    assert.deepEqual(
      requests.map(({ method, url }) => `${method} ${url.pathname}?${url.searchParams}`),
      [
        `GET /client/v4/zones/${zone_id}/custom_csrs?per_page=5`,
        `GET /client/v4/zones/${zone_id}/custom_csrs?per_page=5&page=2`,
        `GET /client/v4/zones/${zone_id}/custom_csrs?per_page=5&page=3`,
        `GET /client/v4/zones/${zone_id}/custom_csrs?per_page=5&page=4`,
      ],
    );

    const sizes = [];
    const infos = [];
    for await (const page of (await cf.customCsrs.list({ zone_id, per_page: 5 })).iterPages()) {
      sizes.push(page.result.length);
      infos.push(page.result_info);
    }
    assert.deepEqual(sizes, [5, 5, 2, 0]);
    assert.deepEqual(infos, [1, 2, 3, 4].map((page) => ({
      page, per_page: 5, count: [5, 5, 2, 0][page - 1], total_count: 12, total_pages: 3,
    })));

    const first = await cf.customCsrs.list({ zone_id }); // zone lists default to 20 per page
    assert.equal(first.result_info.per_page, 20);
    assert.deepEqual(first.result.map((c) => c.id), ids);
    assert.deepEqual(first.result[0], await cf.customCsrs.get(ids[0], { zone_id }));
  });

  test('list of a zone without CSRs is empty', async () => {
    assert.deepEqual(await collect(client().customCsrs.list({ zone_id: newZone() })), []);
  });

  test('delete, then get and delete again are 404/1419', async () => {
    const cf = client();
    const zone_id = newZone();
    const keep = await cf.customCsrs.create(csrParams({ zone_id }));
    const gone = await cf.customCsrs.create(csrParams({ zone_id }));
    assert.deepEqual(await cf.customCsrs.delete(gone.id, { zone_id }), { id: gone.id });
    await assertApiError(cf.customCsrs.get(gone.id, { zone_id }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    await assertApiError(cf.customCsrs.delete(gone.id, { zone_id }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    assert.deepEqual((await collect(cf.customCsrs.list({ zone_id }))).map((c) => c.id), [keep.id]);
  });

  test('unknown id is 404/1419', async () => {
    await assertApiError(client().customCsrs.get(randomUUID(), { zone_id: ZONE_ID }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
  });

  test('malformed id is 400/1418', async () => {
    const cf = client();
    for (const bad of ['not-a-uuid', '7b163417-1d2b-4c84-a38a-2fb7a0cd775', '7b1634171d2b4c84a38a2fb7a0cd7752']) {
      await assertApiError(cf.customCsrs.get(bad, { zone_id: ZONE_ID }), Cloudflare.BadRequestError, 400, 1418, ID_INVALID);
      await assertApiError(cf.customCsrs.delete(bad, { zone_id: ZONE_ID }), Cloudflare.BadRequestError, 400, 1418, ID_INVALID);
    }
  });

  test('zone isolation: a CSR of zone A is not found under zone B', async () => {
    const cf = client();
    const [a, b] = [newZone(), newZone()];
    const created = await cf.customCsrs.create(csrParams({ zone_id: a }));
    await assertApiError(cf.customCsrs.get(created.id, { zone_id: b }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    await assertApiError(cf.customCsrs.delete(created.id, { zone_id: b }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    assert.deepEqual(await collect(cf.customCsrs.list({ zone_id: b })), []);
    assert.deepEqual(await cf.customCsrs.get(created.id, { zone_id: a }), created);
  });

  const validationCases = [
    ['1405: country is required', { country: undefined }, 1405, 'Country field is required. Check your input and try again.'],
    ['1406: state is required', { state: undefined }, 1406, 'State field is required. Check your input and try again.'],
    ['1407: locality is required', { locality: undefined }, 1407, 'Locality field is required. Check your input and try again.'],
    ['1408: organization is required', { organization: undefined }, 1408, 'Organization field is required. Check your input and try again.'],
    ['1409: common name is required', { common_name: undefined }, 1409, 'Common Name field is required. Check your input and try again.'],
    ['1410: common name of 65 characters', { common_name: `${'a'.repeat(57)}.acme.io` }, 1410,
      'The specified Common Name is too long. Maximum allowed length is 64 characters. Check your input and try again.'],
    ['1411: no SANs', { sans: [] }, 1411, 'At least one subject alternative name (SAN) is required. Check your input and try again.'],
    ['1412: IP address SAN', { sans: ['192.0.2.10'] }, 1412, undefined],
    ['1413: non-ASCII SAN', { sans: ['bücher.acme.io'] }, 1413, 'SANs with non-ASCII characters are not supported. Check your input and try again.'],
    ['1414: reserved TLD', { sans: ['app.acme.test'] }, 1414,
      'Reserved top domain SAN (test, example, invalid, localhost) not supported. Check your input and try again.'],
    ['1416: example.com', { sans: ['shop.example.com'] }, 1416,
      'SANs ending in example.com, example.net, or example.org are prohibited. Check your input and try again.'],
    ['1417: key type', { key_type: 'rsa4096' }, 1417, "Invalid key type. Only 'rsa2048' or 'p256v1' is accepted. Check your input and try again."],
    ['1400: sans of the wrong type', { sans: 'app.acme.io' }, 1400, undefined],
  ];
  for (const [label, overrides, code, message] of validationCases) {
    test(`validation ${label}`, async () => {
      const zone_id = newZone();
      await assertApiError(client().customCsrs.create(csrParams({ zone_id, ...overrides })), Cloudflare.BadRequestError, 400, code, message);
      assert.deepEqual(await collect(client().customCsrs.list({ zone_id })), [], 'a failed create left a CSR behind');
    });
  }

  test('account path: create, get, list, delete; account_tag is the account id', async () => {
    const cf = client();
    const account_id = randomBytes(16).toString('hex');
    const created = await cf.customCsrs.create(csrParams({ account_id, name: 'acct csr' }));
    assert.match(created.id, UUID_RE);
    assert.equal(created.account_tag, account_id);
    assert.equal(created.name, 'acct csr');
    assertCsr(created.csr, {
      keyType: 'p256v1',
      sans: ['app.acme.io', 'www.acme.io'],
      subject: { CN: 'app.acme.io', O: 'Acme, Inc.', L: 'San Francisco', ST: 'California', C: 'US' },
    });
    assert.deepEqual(await cf.customCsrs.get(created.id, { account_id }), created);
    assert.deepEqual(await collect(cf.customCsrs.list({ account_id })), [created]);
    // An account CSR is not a CSR of a zone with the same id, nor of another account.
    await assertApiError(cf.customCsrs.get(created.id, { zone_id: account_id }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    await assertApiError(cf.customCsrs.get(created.id, { account_id: ACCOUNT_ID }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
    assert.deepEqual(await cf.customCsrs.delete(created.id, { account_id }), { id: created.id });
    await assertApiError(cf.customCsrs.get(created.id, { account_id }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
  });

  test('account list: 50 per page by default, order and direction', async () => {
    const cf = client();
    const account_id = randomBytes(16).toString('hex');
    const made = [];
    for (const name of ['charlie', 'alpha', 'bravo']) made.push(await cf.customCsrs.create(csrParams({ account_id, name })));
    const first = await cf.customCsrs.list({ account_id });
    assert.equal(first.result_info.per_page, 50);
    assert.deepEqual(first.result.map((c) => c.name), ['charlie', 'alpha', 'bravo']);
    const names = async (query) => (await collect(cf.customCsrs.list({ account_id, ...query }))).map((c) => c.name);
    assert.deepEqual(await names({ order: 'name' }), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(await names({ order: 'name', direction: 'desc' }), ['charlie', 'bravo', 'alpha']);
    assert.deepEqual(await names({ order: 'created_at', direction: 'desc' }), ['bravo', 'alpha', 'charlie']);
    assert.deepEqual(await names({ order: 'account_tag' }), ['charlie', 'alpha', 'bravo']);
  });

  test('email + global key, and all schemes at once, are accepted', async () => {
    const zone_id = newZone();
    const keyOnly = client({ apiToken: null, apiEmail: 'dev@acme.io', apiKey: '0123456789abcdef0123456789abcdef01234' });
    const created = await keyOnly.customCsrs.create(csrParams({ zone_id }));
    // The SDK sends every configured scheme in one request: Bearer and X-Auth-Email/Key.
    const everything = client({ apiEmail: 'dev@acme.io', apiKey: '0123456789abcdef0123456789abcdef01234' });
    assert.deepEqual(await everything.customCsrs.get(created.id, { zone_id }), created);
  });
});

// Custom hostnames and custom certificates: certificates for a custom CSR's key, issued by the
// emulator's test CA (standing in for the customer's CA).

const HOSTNAME_NOT_FOUND = 'The custom hostname was not found.';
const CERTIFICATE_NOT_FOUND = 'Custom certificate not found.';
const CSR_IN_USE = 'The custom CSR is associated with an active certificate pack. You will need to delete all associated active certificate packs before you can delete the custom CSR.';

/** The test CA's chain (leaf + intermediate PEM) for a CSR. POST /_emulator/ca/sign is the
 * emulator's own route, which no Cloudflare client knows (and which takes no auth): a PEM body, or
 * JSON { csr, days } for another lifetime than 90 days. */
async function caSign(csr, days) {
  const response = await fetch(`${emulator.url}/_emulator/ca/sign`, {
    method: 'POST',
    headers: { 'content-type': days === undefined ? 'application/pkcs10' : 'application/json' },
    body: days === undefined ? csr : JSON.stringify({ csr, days }),
  });
  const chain = await response.text();
  assert.equal(response.status, 200, chain);
  assert.equal(chain.match(/-----BEGIN CERTIFICATE-----\n/g)?.length, 2, chain);
  return chain;
}

/** What node's X509Certificate reads from a chain's first (leaf) certificate, in the API's
 * formats: the serial number in decimal, the issuer's CN, notAfter in RFC 3339, the DNS SANs. */
function leafFacts(chain) {
  const leaf = new X509Certificate(chain);
  return {
    serial_number: BigInt(`0x${leaf.serialNumber}`).toString(),
    issuer: /(?:^|\n)CN=(.*)/.exec(leaf.issuer)[1],
    expires_on: new Date(leaf.validTo).toISOString().replace('.000Z', 'Z'),
    hosts: leaf.subjectAltName.split(', ').map((name) => name.replace(/^DNS:/, '')),
  };
}

/** { certificate, key } PEM from `openssl req -x509`: a root no trust store knows. basicConstraints
 * is explicit, as Debian's openssl.cnf marks `req -x509` certificates CA:TRUE, which the emulator
 * answers with "no leaf" rather than with "untrusted". */
function selfSigned(hostname, { ca = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'csr-emulator-self-signed-'));
  try {
    const run = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', `/CN=${hostname}`,
      '-addext', `subjectAltName=DNS:${hostname}`, '-addext', `basicConstraints=critical,CA:${ca ? 'TRUE' : 'FALSE'}`,
    ], { encoding: 'utf8' });
    if (run.error) throw run.error;
    assert.equal(run.status, 0, run.stderr);
    return { certificate: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Awaits an SDK call, expecting the HTTP status `status`; returns what the SDK hands back. */
async function withStatus(apiPromise, status) {
  const { data, response } = await apiPromise.withResponse();
  assert.equal(response.status, status, response.url);
  return data;
}

/** The leaf's facts as a hostname's ssl (or, without serial_number, a custom certificate) shows them. */
function assertCertificateFields(got, leaf, { serial = true } = {}) {
  const { serial_number, ...rest } = leaf;
  const facts = serial ? leaf : rest;
  assert.deepEqual(Object.fromEntries(Object.keys(facts).map((k) => [k, got[k]])), facts);
  assert.equal(got.signature, 'ECDSAWithSHA256');
  assert.equal(got.custom_key, undefined);
  assert.equal(got.private_key, undefined);
}

const pick = (object, keys) => Object.fromEntries(keys.map((k) => [k, object[k]]));

describe('custom hostnames and custom certificates', () => {
  test('a custom CSR\'s certificate on a custom hostname (edited, renewed), then as a custom certificate; the CSR goes last', async () => {
    const cf = client();
    const zone_id = newZone();
    const csr = await withStatus(cf.customCsrs.create(csrParams({ zone_id })), 201);
    const chain = await caSign(csr.csr);
    const leaf = leafFacts(chain);
    assert.deepEqual(leaf.hosts, ['app.acme.io', 'www.acme.io']);

    const created = await withStatus(cf.customHostnames.create({
      zone_id,
      hostname: 'app.acme.io',
      ssl: { custom_csr_id: csr.id, custom_certificate: chain },
    }), 201);
    assert.match(created.id, UUID_RE);
    assert.equal(created.hostname, 'app.acme.io');
    assert.equal(created.status, 'active');
    assert.ok(!Number.isNaN(Date.parse(created.created_at)), created.created_at);
    assert.equal(created.ownership_verification, undefined, 'ownership is verified: no longer shown');
    const { ssl } = created;
    assert.equal(ssl.status, 'active');
    assert.equal(ssl.custom_csr_id, csr.id);
    assert.deepEqual(pick(ssl, ['type', 'method', 'bundle_method']), { type: 'dv', method: 'http', bundle_method: 'ubiquitous' });
    assertCertificateFields(ssl, leaf);
    assert.ok(!Number.isNaN(Date.parse(ssl.uploaded_on)), ssl.uploaded_on);
    assert.doesNotMatch(JSON.stringify(created), /PRIVATE KEY/);

    assert.deepEqual(await withStatus(cf.customHostnames.get(created.id, { zone_id }), 200), created);
    const requests = [];
    const recorded = client({ requests });
    assert.deepEqual(await collect(recorded.customHostnames.list({ zone_id })), [created]);
    assert.deepEqual(await collect(recorded.customHostnames.list({ zone_id, hostname: { exact: 'app.acme.io' } })), [created]);
    assert.deepEqual(await collect(recorded.customHostnames.list({ zone_id, hostname: { exact: 'www.acme.io' } })), []);
    assert.deepEqual(await collect(recorded.customHostnames.list({ zone_id, id: created.id })), [created]);
    assert.deepEqual(
      requests.map(({ url }) => `${url.pathname}?${url.searchParams}`),
      [
        '', '&page=2',
        'hostname.exact=app.acme.io', 'hostname.exact=app.acme.io&page=2',
        'hostname.exact=www.acme.io',
        `id=${created.id}`, `id=${created.id}&page=2`,
      ].map((query) => `/client/v4/zones/${zone_id}/custom_hostnames?${query.replace(/^&/, '')}`),
    );

    const metadata = { customer: 'acme', plan: 'gold' };
    const edited = await withStatus(cf.customHostnames.edit(created.id, { zone_id, custom_metadata: metadata }), 202);
    assert.deepEqual(edited.custom_metadata, metadata);
    assert.deepEqual(edited.ssl, ssl, 'an edit without ssl must leave the certificate alone');
    const same = ['id', 'hostname', 'status', 'created_at'];
    assert.deepEqual(pick(edited, same), pick(created, same));

    // Renewal: the same CSR signed again, for 30 days this time.
    const renewedChain = await caSign(csr.csr, 30);
    const renewed = leafFacts(renewedChain);
    assert.notEqual(renewed.expires_on, leaf.expires_on);
    assert.notEqual(renewed.serial_number, leaf.serial_number);
    const lifetimeDays = (Date.parse(renewed.expires_on) - Date.parse(created.created_at)) / 86_400_000;
    assert.ok(lifetimeDays > 29 && lifetimeDays < 31, `${lifetimeDays} days`);
    const after = await withStatus(cf.customHostnames.edit(created.id, {
      zone_id,
      ssl: { custom_csr_id: csr.id, custom_certificate: renewedChain },
    }), 202);
    assert.equal(after.ssl.status, 'active');
    assert.equal(after.ssl.custom_csr_id, csr.id);
    assertCertificateFields(after.ssl, renewed);
    assert.deepEqual(after.custom_metadata, metadata);
    assert.deepEqual(await cf.customHostnames.get(created.id, { zone_id }), after);

    await assertApiError(cf.customCsrs.delete(csr.id, { zone_id }), Cloudflare.ConflictError, 409, 1420, CSR_IN_USE);

    // The SDK hands back the whole body of this DELETE (the schema's bare {"id"}, no envelope to
    // unwrap); the emulator's body is both that and the envelope python-cloudflare reads.
    const deleted = await withStatus(cf.customHostnames.delete(created.id, { zone_id }), 200);
    assert.equal(deleted.id, created.id);
    assert.deepEqual(deleted, { id: created.id, success: true, errors: [], messages: [], result: { id: created.id } });
    await assertApiError(cf.customHostnames.get(created.id, { zone_id }), Cloudflare.NotFoundError, 404, 1436, HOSTNAME_NOT_FOUND);
    assert.deepEqual(await collect(cf.customHostnames.list({ zone_id })), []);

    // The same certificate as a custom certificate (legacy custom SSL), again with the CSR's id.
    const certificate = await withStatus(cf.customCertificates.create({ zone_id, certificate: chain, custom_csr_id: csr.id }), 200);
    assert.equal(typeof certificate.id, 'string');
    assert.equal(certificate.zone_id, zone_id);
    assert.equal(certificate.status, 'active');
    assert.equal(certificate.custom_csr_id, csr.id);
    assert.deepEqual(pick(certificate, ['bundle_method', 'priority']), { bundle_method: 'ubiquitous', priority: 20 });
    assertCertificateFields(certificate, leaf, { serial: false });
    for (const field of ['uploaded_on', 'modified_on']) assert.ok(!Number.isNaN(Date.parse(certificate[field])), field);
    assert.doesNotMatch(JSON.stringify(certificate), /PRIVATE KEY/);

    await assertApiError(cf.customCsrs.delete(csr.id, { zone_id }), Cloudflare.ConflictError, 409, 1420, CSR_IN_USE);

    const editedCertificate = await withStatus(cf.customCertificates.edit(certificate.id, {
      zone_id,
      certificate: renewedChain,
      bundle_method: 'optimal',
    }), 200);
    assert.equal(editedCertificate.id, certificate.id);
    assert.equal(editedCertificate.bundle_method, 'optimal');
    assert.equal(editedCertificate.custom_csr_id, csr.id, 'an edit without custom_csr_id keeps it');
    assertCertificateFields(editedCertificate, renewed, { serial: false });
    assert.deepEqual(await withStatus(cf.customCertificates.get(certificate.id, { zone_id }), 200), editedCertificate);
    assert.deepEqual(await collect(cf.customCertificates.list({ zone_id })), [editedCertificate]);
    assert.deepEqual(await collect(cf.customCertificates.list({ zone_id, status: 'active' })), [editedCertificate]);
    assert.deepEqual(await collect(cf.customCertificates.list({ zone_id, status: 'expired' })), []);

    assert.deepEqual(await withStatus(cf.customCertificates.delete(certificate.id, { zone_id }), 200), { id: certificate.id });
    await assertApiError(cf.customCertificates.get(certificate.id, { zone_id }), Cloudflare.NotFoundError, 404, 1003, CERTIFICATE_NOT_FOUND);
    assert.deepEqual(await collect(cf.customCertificates.list({ zone_id })), []);

    assert.deepEqual(await withStatus(cf.customCsrs.delete(csr.id, { zone_id }), 200), { id: csr.id });
    await assertApiError(cf.customCsrs.get(csr.id, { zone_id }), Cloudflare.NotFoundError, 404, 1419, NOT_FOUND);
  });

  test('409/1420 with the default retries: one request, as x-should-retry: false stops the SDK', async () => {
    const zone_id = newZone();
    const cf = client();
    const csr = await cf.customCsrs.create(csrParams({ zone_id }));
    await cf.customHostnames.create({ zone_id, hostname: 'app.acme.io', ssl: { custom_csr_id: csr.id, custom_certificate: await caSign(csr.csr) } });

    // The SDK retries 408, 409, 429 and 5xx (twice by default, with backoff), but its shouldRetry()
    // obeys an `x-should-retry` response header before it looks at the status. The emulator sends
    // `x-should-retry: false` with this 409, whose answer no retry changes; that header is what
    // this test relies on (not maxRetries: the client keeps its default of 2).
    const requests = [];
    const retrying = client({ requests, maxRetries: undefined });
    assert.equal(retrying.maxRetries, 2);
    await assertApiError(retrying.customCsrs.delete(csr.id, { zone_id }), Cloudflare.ConflictError, 409, 1420, CSR_IN_USE);
    assert.deepEqual(
      requests.map(({ method, url, status }) => `${method} ${url.pathname} ${status}`),
      [`DELETE /client/v4/zones/${zone_id}/custom_csrs/${csr.id} 409`],
    );

    // Control: the same answer without that header is sent three times (retry-after-ms: 1 only
    // saves the control the SDK's backoff).
    const statuses = [];
    const headerless = client({
      maxRetries: undefined,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        statuses.push(response.status);
        const headers = new Headers(response.headers);
        assert.equal(headers.get('x-should-retry'), 'false');
        headers.delete('x-should-retry');
        headers.set('retry-after-ms', '1');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      },
    });
    await assertApiError(headerless.customCsrs.delete(csr.id, { zone_id }), Cloudflare.ConflictError, 409, 1420, CSR_IN_USE);
    assert.deepEqual(statuses, [409, 409, 409]);
  });

  test('wildcards as the SDK sends them: TXT records a customer can publish, 1448 for HTTP; quota.get; ssl: null keeps the certificate', async () => {
    const cf = client();
    const zone_id = newZone();
    const wild = await cf.customHostnames.create({ zone_id, hostname: 'wild.acme.io', ssl: { method: 'txt', type: 'dv', wildcard: true } });
    assert.equal(wild.ssl.wildcard, true);
    const records = (await cf.customHostnames.get(wild.id, { zone_id })).ssl.validation_records;
    assert.deepEqual(records.map((r) => r.txt_name), ['_acme-challenge.wild.acme.io', '_acme-challenge.wild.acme.io']);
    assert.notEqual(records[0].txt_value, records[1].txt_value);
    const star = await cf.customHostnames.create({ zone_id, hostname: '*.shop.acme.io', ssl: { method: 'txt', type: 'dv' } });
    assert.equal(star.ownership_verification.name, '_cf-custom-hostname.shop.acme.io');
    assert.equal(star.ownership_verification_http, undefined, 'no URL reaches a wildcard');
    const starRecords = (await cf.customHostnames.get(star.id, { zone_id })).ssl.validation_records;
    assert.deepEqual(starRecords.map((r) => r.txt_name), ['_acme-challenge.shop.acme.io']);
    await assert.rejects(
      cf.customHostnames.create({ zone_id, hostname: 'http.acme.io', ssl: { method: 'http', type: 'dv', wildcard: true } }),
      (error) => error.status === 400 && error.errors[0].code === 1448,
    );
    const wildcards = [];
    for await (const h of cf.customHostnames.list({ zone_id, wildcard: true })) wildcards.push(h.hostname);
    assert.deepEqual(wildcards, ['wild.acme.io', '*.shop.acme.io']);

    const quota = await cf.customHostnames.quota.get({ zone_id });
    assert.deepEqual(quota, { allocated: 0, used: 2, exceeded: false, hard_cap: 0 });

    const kept = await cf.customHostnames.edit(wild.id, { zone_id, ssl: null });
    assert.equal(kept.ssl.id, wild.ssl.id);
    assert.equal(kept.ssl.wildcard, true);
  });

  test('custom hostname list: pages of 5, filters as the SDK serialises them', async () => {
    const cf = client();
    const zone_id = newZone();
    const csr = await cf.customCsrs.create(csrParams({ zone_id }));
    const withCertificate = await cf.customHostnames.create({
      zone_id,
      hostname: 'app.acme.io',
      ssl: { custom_csr_id: csr.id, custom_certificate: await caSign(csr.csr) },
    });
    const managed = [];
    for (let i = 0; i < 5; i++) {
      const h = await cf.customHostnames.create({ zone_id, hostname: `shop${i}.acme.io`, ssl: { method: 'txt', type: 'dv' } });
      // Cloudflare's create answer: initializing, no records; a second GET shows them while the
      // certificate waits for domain control validation.
      assert.deepEqual([h.status, h.ssl.status, h.ssl.method], ['pending', 'initializing', 'txt']);
      assert.equal(h.ssl.validation_records, undefined);
      const later = await cf.customHostnames.get(h.id, { zone_id });
      assert.equal(later.ssl.status, 'pending_validation');
      assert.equal(later.ssl.validation_records[0].txt_name, `_acme-challenge.shop${i}.acme.io`);
      assert.match(later.ssl.validation_records[0].txt_value, /^[A-Za-z0-9_-]{43}$/);
      managed.push(h.id);
    }
    // The SDK's types require an ssl object: a hostname created without one has no certificate.
    const withoutSsl = await cf.customHostnames.create({ zone_id, hostname: 'docs.acme.io' });
    assert.deepEqual(withoutSsl.ssl, { status: 'inactive' });
    const ids = [withCertificate.id, ...managed, withoutSsl.id];

    const requests = [];
    const recorded = client({ requests });
    assert.deepEqual((await collect(recorded.customHostnames.list({ zone_id, per_page: 5 }))).map((h) => h.id), ids);
    assert.deepEqual(
      requests.map(({ url }) => url.search),
      ['?per_page=5', '?per_page=5&page=2', '?per_page=5&page=3'],
    );
    const infos = [];
    for await (const page of (await cf.customHostnames.list({ zone_id, per_page: 5 })).iterPages()) infos.push(page.result_info);
    assert.deepEqual(infos, [[1, 5], [2, 2], [3, 0]].map(([page, count]) => ({ page, per_page: 5, count, total_count: 7, total_pages: 2 })));

    const listed = async (query) => {
      requests.length = 0;
      const found = (await collect(recorded.customHostnames.list({ zone_id, ...query }))).map((h) => h.id);
      return [found, requests[0].url.search];
    };
    assert.deepEqual(await listed({ hostname_status: 'pending' }), [managed, '?hostname_status=pending']);
    assert.deepEqual(await listed({ ssl_status: 'active' }), [[withCertificate.id], '?ssl_status=active']);
    assert.deepEqual(await listed({ ssl: 1 }), [[withCertificate.id, ...managed], '?ssl=1']);
    assert.deepEqual(await listed({ hostname: { contain: 'shop' } }), [managed, '?hostname.contain=shop']);
    assert.deepEqual(await listed({ hostname: { exact: 'docs.acme.io' } }), [[withoutSsl.id], '?hostname.exact=docs.acme.io']);
    assert.deepEqual(await listed({ id: managed[2] }), [[managed[2]], `?id=${managed[2]}`]);
    await assertApiError(collect(cf.customHostnames.list({ zone_id, id: managed[2], ssl: 1 })), Cloudflare.BadRequestError, 400, 1438,
      'The id filter cannot be combined with other filters. Check your input and try again.');
  });

  test('custom certificates: prioritize.update, list pages', async () => {
    const cf = client();
    const zone_id = newZone();
    const certificates = [];
    for (const name of ['app', 'www']) {
      const csr = await cf.customCsrs.create(csrParams({ zone_id, common_name: `${name}.acme.io`, sans: [`${name}.acme.io`] }));
      certificates.push(await cf.customCertificates.create({ zone_id, certificate: await caSign(csr.csr), custom_csr_id: csr.id }));
    }
    const [first, second] = certificates.map((c) => c.id);
    assert.deepEqual(certificates.map((c) => c.hosts), [['app.acme.io'], ['www.acme.io']]);

    const page = await cf.customCertificates.list({ zone_id, per_page: 5 });
    assert.deepEqual(page.result_info, { page: 1, per_page: 5, count: 2, total_count: 2, total_pages: 1 });
    assert.deepEqual(page.result.map((c) => c.id).sort(), [first, second].sort());

    const requests = [];
    const prioritized = await collect(client({ requests }).customCertificates.prioritize.update({
      zone_id,
      certificates: [{ id: first, priority: 1 }, { id: second, priority: 2 }],
    }));
    assert.deepEqual(requests.map(({ method, url, status }) => `${method} ${url.pathname} ${status}`),
      [`PUT /client/v4/zones/${zone_id}/custom_certificates/prioritize 200`]);
    assert.deepEqual(Object.fromEntries(prioritized.map((c) => [c.id, c.priority])), { [first]: 1, [second]: 2 });
    assert.equal((await cf.customCertificates.get(first, { zone_id })).priority, 1);
    assert.equal((await cf.customCertificates.get(second, { zone_id })).priority, 2);
  });

  test('custom hostname errors: 1446, 1431, 1441, 1436', async () => {
    const cf = client();
    const zone_id = newZone();
    const csr = await cf.customCsrs.create(csrParams({ zone_id }));
    const chain = await caSign(csr.csr); // for app.acme.io and www.acme.io
    await assertApiError(cf.customHostnames.create({ zone_id, hostname: 'shop.acme.io', ssl: { custom_csr_id: csr.id, custom_certificate: chain } }),
      Cloudflare.BadRequestError, 400, 1446, 'The certificate does not include the custom hostname shop.acme.io. Check your input and try again.');
    await assertApiError(cf.customHostnames.create({ zone_id, hostname: 'app.acme.io', ssl: { custom_csr_id: randomUUID(), custom_certificate: chain } }),
      Cloudflare.NotFoundError, 404, 1431, 'The custom CSR was not found.');
    const { certificate, key } = selfSigned('app.acme.io');
    await assertApiError(cf.customHostnames.create({ zone_id, hostname: 'app.acme.io', ssl: { custom_certificate: certificate, custom_key: key } }),
      Cloudflare.BadRequestError, 400, 1441, /^The certificate has trouble bundling against the public trust store\./);
    assert.deepEqual(await collect(cf.customHostnames.list({ zone_id })), [], 'a refused create left a hostname behind');

    const unknown = randomUUID();
    await assertApiError(cf.customHostnames.get(unknown, { zone_id }), Cloudflare.NotFoundError, 404, 1436, HOSTNAME_NOT_FOUND);
    await assertApiError(cf.customHostnames.edit(unknown, { zone_id, custom_metadata: { a: 'b' } }), Cloudflare.NotFoundError, 404, 1436, HOSTNAME_NOT_FOUND);
    await assertApiError(cf.customHostnames.delete(unknown, { zone_id }), Cloudflare.NotFoundError, 404, 1436, HOSTNAME_NOT_FOUND);
    // Nothing used the CSR.
    assert.deepEqual(await cf.customCsrs.delete(csr.id, { zone_id }), { id: csr.id });
  });

  test('custom certificate errors: 2100, 2101, 2200, 1003', async () => {
    const cf = client();
    const zone_id = newZone();
    const untrusted = selfSigned('app.acme.io');
    await assertApiError(cf.customCertificates.create({ zone_id, certificate: untrusted.certificate, private_key: untrusted.key }),
      Cloudflare.BadRequestError, 400, 2100, /^The certificate chain you uploaded cannot be bundled using Cloudflare's trust store\./);
    const caOnly = selfSigned('app.acme.io', { ca: true });
    await assertApiError(cf.customCertificates.create({ zone_id, certificate: caOnly.certificate, private_key: caOnly.key }),
      Cloudflare.BadRequestError, 400, 2101, 'The certificate chain you uploaded has no leaf certificates.');
    // A trusted certificate, but for another CSR's key.
    const mine = await cf.customCsrs.create(csrParams({ zone_id }));
    const other = await cf.customCsrs.create(csrParams({ zone_id }));
    await assertApiError(cf.customCertificates.create({ zone_id, certificate: await caSign(other.csr), custom_csr_id: mine.id }),
      Cloudflare.BadRequestError, 400, 2200, 'The certificate and private key pair you uploaded is invalid.');
    assert.deepEqual(await collect(cf.customCertificates.list({ zone_id })), [], 'a refused upload left a certificate behind');

    const unknown = randomUUID();
    await assertApiError(cf.customCertificates.get(unknown, { zone_id }), Cloudflare.NotFoundError, 404, 1003, CERTIFICATE_NOT_FOUND);
    await assertApiError(cf.customCertificates.edit(unknown, { zone_id, bundle_method: 'optimal' }), Cloudflare.NotFoundError, 404, 1003, CERTIFICATE_NOT_FOUND);
    await assertApiError(cf.customCertificates.delete(unknown, { zone_id }), Cloudflare.NotFoundError, 404, 1003, CERTIFICATE_NOT_FOUND);
  });
});
