// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, against a
// csr-emulator with its rate limit on and a tiny quota: one request per 2-second window and token.
// Proves the SDK's own retry (default maxRetries 2) waits out the emulator's 429 + Retry-After and
// then succeeds, and that the journal (GET /_emulator/journal) shows what went over the wire.
// Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk_rate_limit.mjs
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { loadPinnedSdk, startEmulator } from './emulator.mjs';

const { default: Cloudflare, RateLimitError } = await loadPinnedSdk();

const QUOTA = 1;
const WINDOW_SECONDS = 2;
const RATE_LIMITED = 'Please wait and consider throttling your request speed';

let emulator;
let baseURL;

before(async () => {
  emulator = await startEmulator([
    '--key-pool', '0',
    '--rate-limit', 'on',
    '--rate-limit-quota', String(QUOTA),
    '--rate-limit-window', String(WINDOW_SECONDS),
  ]);
  baseURL = `${emulator.url}/client/v4`;
});

process.on('exit', (code) => {
  if (code !== 0 && emulator) process.stderr.write(`\n--- csr-emulator stderr ---\n${emulator.stderr()}`);
});

after(async () => {
  const { code, signal } = await emulator.stop();
  assert.equal(signal, null, `csr-emulator died of ${signal}; stderr:\n${emulator.stderr()}`);
  assert.equal(code, 0, `csr-emulator exited with ${code} after SIGTERM; stderr:\n${emulator.stderr()}`);
});

const newZone = () => randomBytes(16).toString('hex');

/** A client with a token of its own (the rate limit counts per credential). Every request the SDK
 * sends is pushed to `sent` as { method, path, at, status, headers, answeredAt }. */
function client(token, sent, options = {}) {
  return new Cloudflare({
    apiToken: token,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL,
    fetch: async (url, init) => {
      const entry = { method: init?.method ?? 'GET', path: new URL(url).pathname, at: Date.now() };
      sent.push(entry);
      const response = await fetch(url, init);
      Object.assign(entry, { status: response.status, headers: response.headers, answeredAt: Date.now() });
      return response;
    },
    ...options,
  });
}

async function journal(query) {
  const response = await fetch(`${emulator.url}/_emulator/journal?${new URLSearchParams(query)}`);
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.success, true);
  return body.result;
}

const csrParams = (zone_id) => ({
  zone_id,
  country: 'US',
  state: 'California',
  locality: 'San Francisco',
  organization: 'Acme, Inc.',
  common_name: 'app.acme.io',
  sans: ['app.acme.io'],
  key_type: 'p256v1',
});

describe(`rate limit on: ${QUOTA} request per ${WINDOW_SECONDS} s window and token`, () => {
  test("the SDK's built-in retry waits out 429 + Retry-After, then the create succeeds; the journal shows 429 then 201", async () => {
    const zone = newZone();
    const sent = [];
    const cf = client('retrying-token', sent); // the SDK's default: 2 retries

    // The window's one request.
    const page = await cf.customCsrs.list({ zone_id: zone });
    assert.deepEqual(page.result, []);

    // Over the quota: the first attempt is refused, the SDK waits and sends it again itself.
    const created = await cf.customCsrs.create(csrParams(zone));
    assert.equal(created.common_name, 'app.acme.io');
    assert.deepEqual(created.sans, ['app.acme.io']);

    const csrs = `/client/v4/zones/${zone}/custom_csrs`;
    assert.deepEqual(
      sent.map(({ method, path, status }) => [method, path, status]),
      [
        ['GET', csrs, 200],
        ['POST', csrs, 429],
        ['POST', csrs, 201],
      ],
    );
    const [listed, refused, retried] = sent;
    assert.equal(listed.headers.get('ratelimit'), `"default";r=0;t=${WINDOW_SECONDS}`);
    assert.equal(listed.headers.get('ratelimit-policy'), `"default";q=${QUOTA};w=${WINDOW_SECONDS}`);
    assert.equal(listed.headers.get('retry-after'), null, 'Retry-After only on a 429');
    // Whole seconds, rounded up, never past the window.
    const retryAfter = refused.headers.get('retry-after');
    assert.match(retryAfter ?? '', /^[12]$/, `Retry-After: ${retryAfter}`);
    // The SDK waited (at least) what Retry-After said before sending again.
    const waited = retried.at - refused.answeredAt;
    assert.ok(waited >= Number(retryAfter) * 1000 - 20, `the SDK retried after ${waited} ms, Retry-After said ${retryAfter} s`);

    // The journal: exactly these three, the 429 with Cloudflare's code 971, then the 201 whose
    // answer is the CSR the SDK returned.
    const entries = await journal({ path_prefix: csrs });
    assert.deepEqual(
      entries.map(({ method, path, status, error_codes, credential }) => ({ method, path, status, error_codes, credential })),
      [
        { method: 'GET', path: csrs, status: 200, error_codes: [], credential: 'api_token' },
        { method: 'POST', path: csrs, status: 429, error_codes: [971], credential: 'api_token' },
        { method: 'POST', path: csrs, status: 201, error_codes: [], credential: 'api_token' },
      ],
    );
    assert.equal(entries[1].response_body.errors[0].message, RATE_LIMITED);
    assert.deepEqual(entries[1].request_body, entries[2].request_body, 'the retry resent the same body');
    assert.equal(entries[2].response_body.result.id, created.id);
    assert.ok(entries[1].sequence < entries[2].sequence);
  });

  test('with retries off the SDK surfaces RateLimitError: 429 / 971, Retry-After on the response', async () => {
    const zone = newZone();
    const sent = [];
    const cf = client('impatient-token', sent, { maxRetries: 0 });
    await cf.customCsrs.list({ zone_id: zone });
    await assert.rejects(cf.customCsrs.list({ zone_id: zone }), (error) => {
      assert.ok(error instanceof RateLimitError, `expected RateLimitError, got ${error?.constructor?.name}: ${error}`);
      assert.equal(error.status, 429);
      assert.deepEqual(error.errors, [{ code: 971, message: RATE_LIMITED }]);
      assert.match(error.headers.get('retry-after') ?? '', /^[12]$/);
      return true;
    });
    assert.deepEqual(sent.map(({ status }) => status), [200, 429]);

    // Another token has a window of its own.
    const other = client('other-token', [], { maxRetries: 0 });
    assert.deepEqual((await other.customCsrs.list({ zone_id: zone })).result, []);
  });
});
