// The web console (GET /_emulator/ui/) in a real headless browser: Debian's chromium driven by
// playwright-core (no browser download), each view checked with axe-core for serious or critical
// accessibility violations and for key material. With CSR_CONSOLE_SCREENSHOTS=DIR the main views
// are saved there as PNG (the README's pictures: tests/console/screenshots).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, showStderrOnFailure, startEmulator, stopCleanly } from '../clients/emulator.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The packages pinned in tests/clients/package.json, installed there by tests/setup.sh.
const clientPackages = createRequire(join(here, '..', 'clients', 'package.json'));
const { chromium } = clientPackages('playwright-core');
const axeSource = readFileSync(clientPackages.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CSR_CONSOLE_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = process.env.CSR_CONSOLE_SCREENSHOTS;

const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
const AUTH = { Authorization: 'Bearer test', 'Content-Type': 'application/json' };
let emulator, browser, page;

async function api(method, path, body) {
  const response = await fetch(`${emulator.url}/client/v4${path}`, { method, headers: AUTH, body: body && JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
async function control(method, path, body) {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return response.headers.get('content-type').startsWith('application/json') ? response.json() : response.text();
}

// Loads a view, waits for `text` in it, checks accessibility and key material, saves a picture.
async function save(screenshot) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => { window.scrollTo(0, 0); document.getElementById('status').textContent = ''; });
  writeFileSync(join(SCREENSHOTS, `${screenshot}.png`), await page.screenshot());
}
async function view(hash, text, screenshot) {
  await page.goto(`${emulator.url}/_emulator/ui/#${hash}`);
  try {
    await page.locator('main').getByText(text).first().waitFor({ timeout: 10_000 });
  } catch (error) {
    throw new Error(`#${hash} never showed '${text}'; it shows:\n${await page.locator('body').innerText()}`, { cause: error });
  }
  await checkPage(hash);
  if (screenshot) await save(screenshot);
}
async function checkPage(what) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] }));
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`), [], `axe on ${what}`);
  assert.doesNotMatch(await page.content(), /PRIVATE KEY/, `key material on ${what}`);
}
// Answers the console's confirmation dialog.
async function confirm() {
  await page.locator('#confirm').waitFor();
  await page.locator('#confirm-ok').click();
}

before(async () => {
  emulator = await startEmulator(['--validation', 'manual', '--zone', `acme.io:${ZONE}`, '--seed', '7',
                                  '--clock-start', '2027-01-01T00:00:00Z']);
  showStderrOnFailure(emulator);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  // bypassCSP: the console's policy allows only its own script, and axe-core is injected inline.
  page = await browser.newPage({ viewport: { width: 960, height: 640 }, bypassCSP: true });
});
after(async () => {
  await browser?.close();
  if (emulator) await stopCleanly(emulator);
});

test('the console is served from the binary with its headers; without the page the API is unchanged', async () => {
  const response = await fetch(`${emulator.url}/_emulator/ui/`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  assert.match(response.headers.get('content-security-policy'), /script-src 'self'/);
  const etag = response.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  assert.match(await response.text(), /<title>csr-emulator console<\/title>/);
  const again = await fetch(`${emulator.url}/_emulator/ui/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const script = await fetch(`${emulator.url}/_emulator/ui/console.js`);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const style = await fetch(`${emulator.url}/_emulator/ui/console.css`);
  assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await fetch(`${emulator.url}/_emulator/ui/nothing.js`)).status, 404);
});

test('each view shows what the API made, and steers it', async () => {
  // A CSR, signed by the test CA, uploaded on a hostname; a second hostname on a DV certificate.
  const csr = await api('POST', `/zones/${ZONE}/custom_csrs`, {
    country: 'US', state: 'MA', locality: 'Boston', organization: 'Acme', common_name: 'app.acme.io',
    sans: ['app.acme.io', 'www.acme.io'], key_type: 'p256v1' });
  assert.equal(csr.status, 201);
  const chain = await control('POST', '/ca/sign', { csr: csr.body.result.csr, days: 90 });
  const uploaded = await api('POST', `/zones/${ZONE}/custom_hostnames`, {
    hostname: 'app.acme.io', ssl: { custom_csr_id: csr.body.result.id, custom_certificate: chain } });
  assert.equal(uploaded.status, 201);
  const dv = await api('POST', `/zones/${ZONE}/custom_hostnames`, { hostname: 'shop.customer.com', ssl: { method: 'txt', type: 'dv' } });
  assert.equal(dv.status, 201);

  await view('zones', 'acme.io', 'zones');
  const cells = await page.getByRole('table', { name: 'Zones' }).locator('tr', { hasText: ZONE }).locator('td').allTextContents();
  // id, name, account, then CSRs, hostnames, custom certificates, Origin CA certificates
  assert.deepEqual([...cells.slice(0, 2), ...cells.slice(3)], [ZONE, 'acme.io', '1', '2', '0', '0']);

  // The CSR decoded, and what uses it.
  await view('csrs', 'EC prime256v1', 'csrs');
  const csrSection = page.locator('section.csr', { hasText: csr.body.result.id });
  await csrSection.getByText('C=US, ST=MA, L=Boston, O=Acme, CN=app.acme.io').waitFor();
  await csrSection.getByText('app.acme.io, www.acme.io').waitFor();
  await csrSection.getByText('ecdsa-with-SHA256 (valid)').waitFor();
  await csrSection.getByRole('link', { name: 'app.acme.io' }).waitFor();
  // Signing with the test CA asks first.
  await csrSection.getByRole('button', { name: 'Sign with test CA' }).click();
  await confirm();
  await page.locator('#status').getByText('Signed').waitFor();

  // The hostname list, then the DV hostname: records, timeline, and moves from the buttons.
  await view('hostnames', 'shop.customer.com', 'hostnames');
  await page.getByRole('link', { name: 'shop.customer.com' }).click();
  await page.getByRole('heading', { name: 'Records to publish' }).waitFor();
  await page.getByText(`_cf-custom-hostname.shop.customer.com`).waitFor();
  await page.getByRole('button', { name: 'Verify ownership' }).click();
  await confirm();
  await page.getByRole('button', { name: 'Advance certificate' }).click();
  await confirm();
  await page.getByText('_acme-challenge.shop.customer.com').waitFor();
  const [ownership, certificate] = await Promise.all([0, 1].map((n) => page.locator('ol.timeline').nth(n).locator('li').allTextContents()));
  assert.equal(ownership.length, 2);
  assert.match(ownership[0], /^2027-01-01T00:00:\d\d\.\d{6}Z pending$/);
  assert.match(ownership[1], /^2027-01-01T00:\d\d:\d\d\.\d{6}Z active$/);
  assert.deepEqual(certificate.map((item) => item.split(' ')[1]), ['initializing', 'pending_validation']);
  await checkPage('hostname');
  await save('hostname');

  // The uploaded certificate: valid, then expired once the clock moves on 91 days from the UI.
  await view('certificates', 'valid until', 'certificates');
  // The test CA's own certificates are listed too.
  await page.locator('tr', { hasText: 'test CA' }).filter({ hasText: 'intermediate' }).getByText('valid until').waitFor();
  await page.goto(`${emulator.url}/_emulator/ui/#controls`);
  await page.getByLabel('Advance by (e.g. 91d, 36h)').fill('91d');
  await page.getByRole('button', { name: 'Advance clock' }).click();
  await confirm();
  await eventually(async () => (await control('GET', '/clock')).result.offset_seconds, (s) => s > 91 * 86400 - 60, 'clock advanced');
  await view('certificates', 'expired');
  assert.match(await page.locator('tr', { hasText: 'app.acme.io' }).textContent(), /expired \d{4}-\d\d-\d\dT/);

  // A fault rule added and removed from the controls.
  await view('controls', 'Fault rules', 'controls');
  await page.getByRole('button', { name: 'Add fault rule' }).click();
  await confirm();
  await page.locator('tr', { hasText: '/zones/*/custom_csrs' }).waitFor();
  assert.equal((await control('GET', '/faults')).result.length, 1);
  await page.getByRole('button', { name: 'Remove' }).click();
  await confirm();
  await eventually(async () => (await control('GET', '/faults')).result.length, (n) => n === 0, 'fault rule removed');

  await view('notifications', 'Notification deliveries', 'notifications');
});

test('the journal follows requests live, filters them, and shows bodies without key material', async () => {
  await view('journal', 'requests, newest first');
  // Sent while the page is open: it appears without a reload. Its key is redacted in the journal.
  const refused = await api('POST', `/zones/${ZONE}/custom_certificates`, {
    certificate: 'not a certificate', private_key: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n' });
  assert.equal(refused.status, 400);
  const entry = page.locator('details.entry', { hasText: '/custom_certificates' }).first();
  await entry.waitFor();
  await entry.locator('summary').click();
  await entry.getByText('[REDACTED]').first().waitFor();
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Path contains').fill('custom_certificates');
  await eventually(() => page.locator('details.entry').count(), (n) => n === 1, 'filtered journal');
  // Opened, it stays open while the journal is redrawn.
  await page.getByText('[REDACTED]').first().waitFor();
  await checkPage('journal');
  await save('journal');
});

test('on a narrow window nothing overflows the page', async () => {
  const narrow = await browser.newPage({ viewport: { width: 360, height: 640 } });
  try {
    for (const hash of ['zones', 'hostnames', 'certificates', 'controls']) {
      await narrow.goto(`${emulator.url}/_emulator/ui/#${hash}`);
      await narrow.locator('main h2').first().waitFor();
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `#${hash} is ${width} px wide on a 360 px window`);
    }
  } finally {
    await narrow.close();
  }
});

test('with a control token the console asks for it; without it the API refuses', async () => {
  const guarded = await startEmulator(['--control-token', 'console-secret']);
  // Under the console's own Content-Security-Policy: it breaks none of its rules.
  const tokenPage = await browser.newPage();
  const violations = [];
  tokenPage.on('console', (message) => { if (/Content Security Policy/.test(message.text())) violations.push(message.text()); });
  try {
    await tokenPage.goto(`${guarded.url}/_emulator/ui/#zones`);
    await tokenPage.locator('#token-reason').getByText('Authorization: Bearer').waitFor();
    assert.equal((await fetch(`${guarded.url}/_emulator/state`)).status, 401);
    await tokenPage.getByLabel('Control token').fill('wrong');
    await tokenPage.getByRole('button', { name: 'Use token' }).click();
    await tokenPage.locator('#token-form').waitFor({ state: 'visible' });
    await tokenPage.getByLabel('Control token').fill('console-secret');
    await tokenPage.getByRole('button', { name: 'Use token' }).click();
    await tokenPage.locator('main h2', { hasText: 'Zones' }).waitFor();
    assert.equal(await tokenPage.locator('#token-form').isHidden(), true);
    assert.deepEqual(violations, []);
  } finally {
    await tokenPage.close();
    await stopCleanly(guarded);
  }
});
