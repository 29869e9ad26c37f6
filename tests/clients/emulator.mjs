// Starts the csr-emulator binary for a client suite and stops it again.
// The binary comes from $CSR_EMULATOR_BINARY (CTest sets it). It listens on 127.0.0.1:0 with a
// database in a temporary directory; readiness is the one stdout line it prints once listening.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const READY_LINE = /^csr-emulator listening on (http:\/\/\S+)\n$/;
const EDGE_LINE = /^csr-emulator edge listening on (https?:\/\/\S+)\n/;
// With --api-tls-listen, this line comes first.
const TLS_LINE = /^csr-emulator API over TLS listening on (https:\/\/\S+)\n/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Calls `read` until `done` holds for what it returned, and returns that; after `timeoutMs`
 * without, fails naming `what` and the last read. The one poll loop of the node suites: for
 * waiting on the emulator to do something, never for time to pass inside it (that is
 * POST /_emulator/clock {"advance": ...}).
 */
export async function eventually(read, done, what, { timeoutMs = 30_000, pauseMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const past = Date.now() >= deadline;
    const last = await read();
    if (done(last)) return last;
    if (past) throw new Error(`${what}: not seen within ${timeoutMs} ms; last read: ${JSON.stringify(last)}`);
    // The pause between looks; nothing to wait on instead.
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/**
 * The Cloudflare TypeScript SDK module, as pinned in package.json and installed by
 * `bash tests/setup.sh` (npm ci). Without it a suite must fail, loudly, rather than pass having
 * tested nothing. The SDK falls back to CLOUDFLARE_* variables for anything not passed to its
 * constructor; a developer's own settings must change nothing, so they are cleared.
 */
export async function loadPinnedSdk() {
  const here = dirname(fileURLToPath(import.meta.url));
  const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies.cloudflare;
  const installedManifest = join(here, 'node_modules', 'cloudflare', 'package.json');
  if (!existsSync(installedManifest)) {
    throw new Error(`The Cloudflare TypeScript SDK is not installed in ${join(here, 'node_modules')}: run \`bash tests/setup.sh\` (or \`npm ci --prefix tests/clients\`) first.`);
  }
  const installed = JSON.parse(readFileSync(installedManifest, 'utf8')).version;
  if (installed !== pinned) {
    throw new Error(`tests/clients/node_modules has cloudflare ${installed}, package.json pins ${pinned}: run \`npm ci --prefix tests/clients\`.`);
  }
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('CLOUDFLARE_')) delete process.env[name];
  }
  return import('cloudflare');
}

/** Prints the emulator's log when the suite fails. */
export function showStderrOnFailure(emulator) {
  process.on('exit', (code) => {
    if (code !== 0) process.stderr.write(`\n--- csr-emulator stderr ---\n${emulator.stderr()}`);
  });
}

/** SIGTERM, then asserts a clean exit (code 0, no signal), naming the log otherwise. */
export async function stopCleanly(emulator) {
  const { code, signal } = await emulator.stop();
  if (signal !== null || code !== 0)
    throw new Error(`csr-emulator exited with code ${code}, signal ${signal} after SIGTERM; stderr:\n${emulator.stderr()}`);
}

/** `args`: flags added after --listen and --db (e.g. ['--rate-limit', 'on']). */
export async function startEmulator(args = []) {
  const binary = process.env.CSR_EMULATOR_BINARY;
  if (!binary) {
    throw new Error('CSR_EMULATOR_BINARY is not set: run this suite through ctest, or export it to the path of the built csr-emulator');
  }
  accessSync(binary, constants.X_OK);
  const dir = mkdtempSync(join(tmpdir(), 'csr-emulator-client-'));
  // Only our flags configure the emulator: a CSR_EMULATOR_* setting in the caller's environment
  // (say, CSR_EMULATOR_API_TOKENS) would change what the suite tests.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CSR_EMULATOR_')));
  // Statuses settled at creation unless a suite asks otherwise (a later --validation wins).
  const child = spawn(binary, ['--listen', '127.0.0.1:0', '--db', join(dir, 'db.sqlite3'), '--validation', 'off', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  child.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const edgeUrls = [];
  let tlsUrl;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`csr-emulator printed no listening line within ${START_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      stdout += chunk;
      // With --edge-listen / --api-tls-listen, their own listening lines come first.
      for (let line; (line = EDGE_LINE.exec(stdout) || TLS_LINE.exec(stdout)); ) {
        if (line[0].includes(' edge ')) edgeUrls.push(line[1]);
        else tlsUrl = line[1];
        stdout = stdout.slice(line[0].length);
      }
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      const match = READY_LINE.exec(stdout);
      if (match) resolve(match[1]);
      else {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first stdout output from csr-emulator: ${JSON.stringify(stdout)}`));
      }
    };
    child.stdout.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`csr-emulator exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`));
    });
  });
  // Anything more on stdout breaks the "exactly one line" promise; stop() reports it.
  let extraStdout = '';
  child.stdout.on('data', (chunk) => (extraStdout += chunk));

  return {
    url,
    /** The TLS edge's URL (https://127.0.0.1:PORT) when started with --edge-listen, else undefined. */
    edgeUrl: edgeUrls.find((u) => u.startsWith('https://')),
    tlsUrl,
    stderr: () => stderr,
    /** SIGTERM; resolves to { code, signal, extraStdout } once the process has exited. */
    async stop() {
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`csr-emulator did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`));
        }, STOP_TIMEOUT_MS);
      });
      try {
        const outcome = await Promise.race([exited, timeout]);
        // The exit event can come before the last piped output; wait for the stream to end.
        if (!child.stdout.readableEnded) await new Promise((resolve) => child.stdout.once('close', resolve));
        return { ...outcome, extraStdout };
      } finally {
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A DNS server with a customer's records: dnsmasq on 127.0.0.1 and a free port, run by the
 * dns_fixture binary ($CSR_DNS_FIXTURE, set by CTest), which drives it through the C++ suites'
 * own helper (tests/support/dnsmasq.hpp; protocol in tests/support/dns_fixture.cpp).
 * `records`: { cnames: [[name, target]], txts: [[name, value]], addresses: [[name, ip]] }; dnsmasq
 * answers NXDOMAIN for missing names under the records' domains. Resolves to
 * { address (for --dns-server), replace(records) (same port, dnsmasq restarted), stop() }.
 */
export async function startDnsServer(records) {
  const binary = process.env.CSR_DNS_FIXTURE;
  if (!binary) {
    throw new Error('CSR_DNS_FIXTURE is not set: run this suite through ctest, or export it to the path of the built dns_fixture');
  }
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = [];
  let waiting = null;
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, at));
      buffered = buffered.slice(at + 1);
    }
    if (waiting && lines.length) waiting();
  });
  const send = async (records) => {
    child.stdin.write(`${JSON.stringify(records)}\n`);
    let timer;
    try {
      await new Promise((resolve, reject) => {
        if (lines.length) return resolve();
        waiting = resolve;
        timer = setTimeout(() => reject(new Error('dns_fixture gave no answer within 20 s')), 20_000);
        exited.then((code) => reject(new Error(`dns_fixture exited with ${code}`)));
      });
    } finally {
      clearTimeout(timer);
      waiting = null;
    }
    return lines.shift();
  };
  const stop = async () => {
    child.stdin.end();
    await exited;
  };
  const ready = await send(records).catch(async (error) => {
    child.kill('SIGKILL');
    throw error;
  });
  if (!ready.startsWith('ready ')) {
    await stop();
    throw new Error(`dns_fixture did not start dnsmasq: ${ready}`);
  }
  return {
    address: ready.split(' ')[1],
    async replace(next) {
      const answer = await send(next);
      if (answer !== 'ok') throw new Error(`dns_fixture could not load the records: ${answer}`);
    },
    stop,
  };
}

/** Runs `openssl req -noout ARGS` on a PEM CSR. */
export function opensslReq(args, pem) {
  const run = spawnSync('openssl', ['req', '-noout', ...args], { input: pem, encoding: 'utf8' });
  if (run.error) throw run.error;
  return run;
}
