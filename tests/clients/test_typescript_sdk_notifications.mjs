// The official TypeScript SDK (npm `cloudflare`, pinned in package.json), unmodified, making a
// webhook destination (alerting.destinations.webhooks) and a notification policy
// (alerting.policies), then a custom hostname whose certificate events reach a real receiver
// (a node http server started here) with the destination's secret in cf-webhook-auth.
// Run through CTest (which sets CSR_EMULATOR_BINARY): node --test test_typescript_sdk_notifications.mjs
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import { eventually, loadPinnedSdk, startEmulator } from './emulator.mjs';

const { default: Cloudflare, NotFoundError } = await loadPinnedSdk();

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';  // the emulator's default account, every zone's
const ZONE = 'fedcba9876543210fedcba9876543210';
const SECRET = 'node-receiver-secret';
const received = [];
let emulator;
let receiver;
let hookUrl;

before(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(body) });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  emulator = await startEmulator(['--validation', 'auto', '--validation-step', '50']);
});

after(async () => {
  receiver.close();
  if (!emulator) return;
  const { code, signal } = await emulator.stop();
  assert.equal(signal, null, `csr-emulator died of ${signal}; stderr:\n${emulator.stderr()}`);
  assert.equal(code, 0, `csr-emulator exited with ${code}; stderr:\n${emulator.stderr()}`);
});

test('alerting.destinations.webhooks and alerting.policies deliver certificate events', async () => {
  const client = new Cloudflare({ apiToken: 'notify-token', apiKey: null, apiEmail: null, userServiceKey: null,
                                  baseURL: `${emulator.url}/client/v4` });
  const webhooks = client.alerting.destinations.webhooks;
  const { id: webhook } = await webhooks.create({ account_id: ACCOUNT, name: 'ts hooks', url: hookUrl, secret: SECRET });
  assert.match(received[0].body.text, /^Hello World!/);
  const listed = [];
  for await (const w of webhooks.list({ account_id: ACCOUNT })) listed.push(w);
  assert.deepEqual(listed.map((w) => [w.id, w.name, w.type]), [[webhook, 'ts hooks', 'generic']]);
  assert.equal(listed[0].secret, undefined);
  await webhooks.update(webhook, { account_id: ACCOUNT, name: 'renamed', url: hookUrl, secret: SECRET });
  assert.equal((await webhooks.get(webhook, { account_id: ACCOUNT })).name, 'renamed');

  const { id: policy } = await client.alerting.policies.create({
    account_id: ACCOUNT, name: 'ts policy', alert_type: 'custom_ssl_certificate_event_type', enabled: true,
    mechanisms: { webhooks: [{ id: webhook }] },
  });
  assert.deepEqual((await client.alerting.policies.get(policy, { account_id: ACCOUNT })).mechanisms,
                   { webhooks: [{ id: webhook }] });

  await client.customHostnames.create({ zone_id: ZONE, hostname: 'ts.acme.io', ssl: { method: 'http', type: 'dv' } });
  const events = () => received.filter((r) => r.body.data);
  await eventually(events, (found) => found.length >= 3, 'three certificate events at the receiver');
  assert.deepEqual(events().map((e) => e.body.data.metadata.event.type),
                   ['validation.succeeded', 'issuance.succeeded', 'deployment.succeeded']
                     .map((n) => `ssl.custom_hostname_certificate.${n}`));
  for (const { headers, body } of events()) {
    assert.equal(headers['cf-webhook-auth'], SECRET);
    assert.equal(body.data.data.hostname, 'ts.acme.io');
    assert.equal(body.policy_id, policy);
  }

  await client.alerting.policies.delete(policy, { account_id: ACCOUNT });
  await webhooks.delete(webhook, { account_id: ACCOUNT });
  await assert.rejects(client.alerting.policies.get(policy, { account_id: ACCOUNT }), NotFoundError);
});
