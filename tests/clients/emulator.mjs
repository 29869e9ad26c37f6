// Starts the csr-emulator binary for a client suite and stops it again.
// The binary comes from $CSR_EMULATOR_BINARY (CTest sets it). It listens on 127.0.0.1:0 with a
// database in a temporary directory; readiness is the one stdout line it prints once listening.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const READY_LINE = /^csr-emulator listening on (http:\/\/\S+)\n$/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

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

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`csr-emulator printed no listening line within ${START_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      stdout += chunk;
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

/** Runs `openssl req -noout ARGS` on a PEM CSR. */
export function opensslReq(args, pem) {
  const run = spawnSync('openssl', ['req', '-noout', ...args], { input: pem, encoding: 'utf8' });
  if (run.error) throw run.error;
  return run;
}
