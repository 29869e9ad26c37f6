// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against
// csr-emulator. Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk.mjs
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { opensslReq, startEmulator } from './emulator.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// The SDK is installed by `bash tests/setup.sh` (npm ci from package-lock.json). Without it this
// suite must fail, loudly, rather than pass having tested nothing.
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies.cloudflare;
const installedManifest = join(here, 'node_modules', 'cloudflare', 'package.json');
if (!existsSync(installedManifest)) {
  throw new Error(`The Cloudflare TypeScript SDK is not installed in ${join(here, 'node_modules')}: run \`bash tests/setup.sh\` (or \`npm ci --prefix tests/clients\`) first.`);
}
const installed = JSON.parse(readFileSync(installedManifest, 'utf8')).version;
if (installed !== pinned) {
  throw new Error(`tests/clients/node_modules has cloudflare ${installed}, package.json pins ${pinned}: run \`npm ci --prefix tests/clients\`.`);
}
const { default: Cloudflare } = await import('cloudflare');

// The SDK falls back to these for anything not passed to its constructor; a developer's own
// settings must change nothing here.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('CLOUDFLARE_')) delete process.env[name];
}

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

/** A client with the token scheme; `requests` (if given) records every URL the SDK fetches. */
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
      ? (url, init) => {
          requests.push({ method: init?.method ?? 'GET', url: new URL(url) });
          return fetch(url, init);
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

/** Awaits `promise`, expecting the SDK to throw `ErrorClass` with this status, code and message. */
async function assertApiError(promise, ErrorClass, status, code, message) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${error?.constructor?.name}: ${error}`);
    assert.equal(error.status, status);
    assert.equal(error.errors.length, 1, JSON.stringify(error.errors));
    assert.equal(error.errors[0].code, code, JSON.stringify(error.errors));
    if (message !== undefined) assert.equal(error.errors[0].message, message);
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
