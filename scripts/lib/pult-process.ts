// Runs the Pult server as a real child process (so a test can kill it).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from './https-request.js';

/** The certificate each HTTPS server started here serves (by base URL): api() trusts it for that server. */
const trustedCerts = new Map<string, Buffer>();

export interface PultProcess {
  url: string;
  proc: ChildProcess;
  logFile: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startPultProcess(env: Record<string, string>, logName: string): Promise<PultProcess> {
  const repo = path.resolve(import.meta.dirname, '../..');
  const logDir = path.join(repo, 'artifacts', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${logName}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  // PULT_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=artifacts/prof" to profile it in a bench.
  const nodeArgs = (process.env.PULT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // PULT_SERVER=build: the compiled server (`npm run build`), as `npm start` and the systemd unit run it; else the sources through tsx.
  const entry = process.env.PULT_SERVER === 'build'
    ? ['--enable-source-maps', path.join(repo, 'build', 'src', 'main.js')]
    : ['--import', 'tsx', path.join(repo, 'src', 'main.ts')];
  const proc = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: repo,
    // Tests and benchmarks log in with the demo logins. They share one PBX
    // whose fallback log (calls taken while no Pult was up) collects every
    // test's fallback calls: a server imports none of them unless its test
    // names the file (PULT_FALLBACK_CDR_FILE, tests/integration/fallback-import.test.ts).
    env: { ...process.env, PULT_DEMO_DATA: 'on', PULT_FALLBACK_CDR_FILE: '/dev/null', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  // With PULT_TLS_CERT the server speaks HTTPS; its own certificate is trusted for it (a self-signed one in tests).
  const url = `${env.PULT_TLS_CERT ? 'https' : 'http'}://127.0.0.1:${env.PULT_HTTP_PORT}`;
  if (env.PULT_TLS_CERT) trustedCerts.set(url, readFileSync(env.PULT_TLS_CERT));
  // Generous: on a loaded machine tsx's first transpile alone can take tens of seconds.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`pult exited with ${proc.exitCode}; see ${logFile}`);
    try {
      const h = (await api<{ pbx: { connected: boolean } }>(url, 'GET', '/api/health')).body;
      if (h.pbx.connected) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      // Not left running: the next test's server would find its port taken and its requests answered by this one.
      proc.kill('SIGKILL');
      throw new Error(`pult did not come up with the PBX connected; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    logFile,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}

export async function api<T = unknown>(base: string, method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const headers = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const payload = body !== undefined ? JSON.stringify(body) : undefined;
  const ca = trustedCerts.get(base);
  const r = ca ? await request(base + p, { method, headers, body: payload, ca }) : await fetch(base + p, { method, headers, body: payload });
  const text = typeof r.text === 'string' ? r.text : await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: parsed as T };
}

export async function login(base: string, loginName: string, password: string): Promise<string> {
  const r = await api<{ token: string }>(base, 'POST', '/api/auth/login', { login: loginName, password });
  if (r.status !== 200) throw new Error(`login ${loginName} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}
