// Issue 13 item 3: HTTPS for Pult with a self-signed certificate made by
// scripts/tls-selfsigned.sh — the API and socket.io over TLS with HSTS, a
// plain-HTTP port that only redirects to https, the softphone told to use
// wss://, and a start that stops with one clear line when the key is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { request } from '../../scripts/lib/https-request.js';
import { loadConfig } from '../../src/config/index.js';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-tls-'));
const other = mkdtempSync(path.join(os.tmpdir(), 'pult-tls-other-'));
const acme = mkdtempSync(path.join(os.tmpdir(), 'pult-acme-'));
const cert = path.join(dir, 'pult.crt');
const key = path.join(dir, 'pult.key');
let ca: Buffer;
let s: Awaited<ReturnType<typeof testServer>>;

function selfSigned(into: string): string {
  return execFileSync('bash', [path.join(repo, 'scripts/tls-selfsigned.sh'), into], { encoding: 'utf8' });
}

beforeAll(async () => {
  expect(selfSigned(dir)).toMatch(/spki: +[A-Za-z0-9+/]{43}=/);
  selfSigned(other);
  ca = readFileSync(cert);
  s = await testServer({ PULT_DEMO_ACCOUNTS: '0', PULT_TLS_CERT: cert, PULT_TLS_KEY: key, PULT_HTTP_REDIRECT_PORT: '0', PULT_ASTERISK_TLS_PORT: '8444', PULT_ACME_WEBROOT: acme });
});

afterAll(async () => {
  await s?.stop();
});

async function json<T>(method: string, p: string, body?: unknown, token?: string, host?: string): Promise<{ status: number; headers: Record<string, unknown>; body: T }> {
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...(host ? { host } : {}) };
  const r = await request(s.url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), ca, ...(host ? { servername: 'localhost' } : {}) });
  return { status: r.status, headers: r.headers, body: JSON.parse(r.text) as T };
}

async function loginOverTls(name: string): Promise<string> {
  const r = await json<{ token: string }>('POST', '/api/auth/login', { login: name, password: 'demo' });
  expect(r.status).toBe(200);
  // The token travels in the Authorization header; Pult sets no cookie to secure.
  expect(r.headers['set-cookie']).toBeUndefined();
  return r.body.token;
}

describe('HTTPS', () => {
  it('serves the API over TLS with the generated certificate, with HSTS', async () => {
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await json<{ status: string }>('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    const token = await loginOverTls('supervisor');
    expect((await json<{ items: unknown[] }>('GET', '/api/operators', undefined, token)).status).toBe(200);
    // The pages too (the UI may not be built in this checkout: 200 or the 503 notice, never plain text over HTTP).
    const page = await request(`${s.url}/`, { ca });
    expect([200, 503]).toContain(page.status);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('a client that does not trust the certificate is refused by TLS, and plain HTTP on the HTTPS port gets nothing', async () => {
    await expect(request(`${s.url}/api/health`)).rejects.toThrow(/self[- ]signed|certificate/i);
    const plain = await request(`http://127.0.0.1:${s.port}/api/health`).catch((e: Error) => e);
    // Node's TLS server answers a plain request with a 400 or drops it; never the API's JSON.
    if (!(plain instanceof Error)) expect(plain.text).not.toContain('"status"');
  });

  it('socket.io connects over the same HTTPS server (authenticated)', async () => {
    const token = await loginOverTls('operator');
    const ok = connect(s.url, { auth: { token }, transports: ['websocket'], ca: ca.toString(), forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      ok.once('connect', () => resolve());
      ok.once('connect_error', reject);
    });
    expect(ok.connected).toBe(true);
    ok.close();
    const refused = connect(s.url, { auth: { token: 'nope' }, transports: ['websocket'], ca: ca.toString(), forceNew: true, reconnection: false });
    const err = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    refused.close();
  });

  it('the softphone is told to register over wss:// at the host the page was opened at, and the CSP allows it', async () => {
    const token = await loginOverTls('operator');
    const me = await json<{ sip: { wsUrl: string } }>('GET', '/api/operators/me', undefined, token);
    expect(me.body.sip.wsUrl).toBe('wss://127.0.0.1:8444/ws');
    const byName = await json<{ sip: { wsUrl: string } }>('GET', '/api/operators/me', undefined, token, `localhost:${s.port}`);
    expect(byName.body.sip.wsUrl).toBe('wss://localhost:8444/ws');
    expect(String(byName.headers['content-security-policy'])).toContain("connect-src 'self' wss://localhost:8444");
    // A forged Host header cannot inject anything into the URL or the CSP.
    const forged = await json<{ sip: { wsUrl: string } }>('GET', '/api/operators/me', undefined, token, 'evil.example;script-src *');
    expect(forged.body.sip.wsUrl).toBe('wss://localhost:8444/ws');
    expect(String(forged.headers['content-security-policy'])).not.toContain('evil');
  });
});

describe('the plain-HTTP port only redirects', () => {
  it('GET is sent to the same path on https with 301, other methods with 308; nothing is served', async () => {
    expect(s.redirectPort).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${s.redirectPort}`;
    const page = await request(`${base}/wall/?from=tv`);
    expect(page.status).toBe(301);
    expect(page.headers.location).toBe(`https://127.0.0.1:${s.port}/wall/?from=tv`);
    const health = await request(`${base}/api/health`);
    expect(health.status).toBe(301);
    expect(health.text).not.toContain('"status"');
    const loginAttempt = await request(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'demo' }) });
    expect(loginAttempt.status).toBe(308);
    expect(loginAttempt.headers.location).toBe(`https://127.0.0.1:${s.port}/api/auth/login`);
    expect(loginAttempt.text).not.toContain('token');
    // The redirect keeps the name the browser used; a malformed Host header gets 400, not a redirect elsewhere.
    expect((await request(`${base}/`, { headers: { host: `localhost:${s.redirectPort}` } })).headers.location).toBe(`https://localhost:${s.port}/`);
    const bad = await request(`${base}/`, { headers: { host: 'evil.example/x?' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.location).toBeUndefined();
    // The followed redirect reaches the API over TLS.
    expect((await request(String(health.headers.location), { ca })).status).toBe(200);
  });

  it('answers ACME http-01 challenges from PULT_ACME_WEBROOT (certbot --webroot), nothing else from it', async () => {
    const base = `http://127.0.0.1:${s.redirectPort}`;
    mkdirSync(path.join(acme, '.well-known', 'acme-challenge'), { recursive: true });
    writeFileSync(path.join(acme, '.well-known', 'acme-challenge', 'tok_EN-123'), 'tok_EN-123.thumbprint');
    writeFileSync(path.join(acme, 'secret.txt'), 'not for the world');
    const ok = await request(`${base}/.well-known/acme-challenge/tok_EN-123`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('tok_EN-123.thumbprint');
    expect((await request(`${base}/.well-known/acme-challenge/unknown`)).status).toBe(404);
    // No way out of the challenge folder: anything else is a redirect, as usual.
    for (const p of ['/.well-known/acme-challenge/../../secret.txt', '/.well-known/acme-challenge/%2e%2e%2fsecret.txt', '/secret.txt']) {
      const r = await request(base + p);
      expect(r.text).not.toContain('not for the world');
    }
    expect((await request(`${base}/.well-known/acme-challenge/tok_EN-123`, { method: 'POST', body: '' })).status).toBe(308);
  });
});

/** SHA-256 fingerprint of the certificate a new TLS connection to the port is shown. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('a renewed certificate (SIGHUP / systemctl reload pult)', () => {
  it('is served to new connections without a restart; a bad pair leaves the old one serving', async () => {
    const live = mkdtempSync(path.join(os.tmpdir(), 'pult-tls-live-'));
    for (const f of ['pult.crt', 'pult.key']) copyFileSync(path.join(dir, f), path.join(live, f));
    const r = await testServer({ PULT_DEMO_DATA: undefined, PULT_TLS_CERT: path.join(live, 'pult.crt'), PULT_TLS_KEY: path.join(live, 'pult.key') });
    try {
      const first = new X509Certificate(readFileSync(cert)).fingerprint256;
      expect(await servedFingerprint(r.port)).toBe(first);
      // Renewed: the other pair copied over the files, then reloaded.
      for (const f of ['pult.crt', 'pult.key']) copyFileSync(path.join(other, f), path.join(live, f));
      const renewed = new X509Certificate(readFileSync(path.join(other, 'pult.crt'))).fingerprint256;
      expect(r.reloadTls()?.validTo).toBeInstanceOf(Date);
      expect(await servedFingerprint(r.port)).toBe(renewed);
      // Half-written renewal (a key of another certificate): refused, the renewed pair keeps serving.
      copyFileSync(path.join(dir, 'pult.key'), path.join(live, 'pult.key'));
      expect(() => r.reloadTls()).toThrow(/does not match/);
      expect(await servedFingerprint(r.port)).toBe(renewed);
      writeFileSync(path.join(live, 'pult.crt'), 'garbage');
      expect(() => r.reloadTls()).toThrow(/is not a PEM certificate/);
      expect(await servedFingerprint(r.port)).toBe(renewed);
    } finally {
      await r.stop();
    }
  });
});

describe('configuration and start-up errors', () => {
  it('refuses half a TLS configuration and a redirect port without TLS', () => {
    const base = { PULT_ARI_PASSWORD: 'test-password', PULT_STATE_DIR: dir };
    expect(() => loadConfig({ ...base, PULT_TLS_CERT: cert })).toThrow(/PULT_TLS_KEY: must be set too/);
    expect(() => loadConfig({ ...base, PULT_HTTP_REDIRECT_PORT: '8081' })).toThrow(/PULT_HTTP_REDIRECT_PORT: redirects to https only/);
    expect(() => loadConfig({ ...base, PULT_TLS_CERT: cert, PULT_TLS_KEY: key, PULT_ACME_WEBROOT: acme })).toThrow(/PULT_ACME_WEBROOT: .* set PULT_HTTP_REDIRECT_PORT too/);
    // Left empty in an environment file = unset (plain HTTP), not "port 0".
    expect(loadConfig({ ...base, PULT_TLS_CERT: '', PULT_TLS_KEY: '', PULT_HTTP_REDIRECT_PORT: '' }).PULT_HTTP_REDIRECT_PORT).toBeUndefined();
  });

  it('a key of another certificate, or a certificate file that is not one, stops the start with what is wrong', async () => {
    await expect(testServer({ PULT_TLS_CERT: cert, PULT_TLS_KEY: path.join(other, 'pult.key') })).rejects.toThrow(`PULT_TLS_KEY: the key in ${path.join(other, 'pult.key')} does not match the certificate in ${cert}`);
    await expect(testServer({ PULT_TLS_CERT: key, PULT_TLS_KEY: key })).rejects.toThrow(`PULT_TLS_CERT: ${key} is not a PEM certificate`);
    await expect(testServer({ PULT_TLS_CERT: cert, PULT_TLS_KEY: cert })).rejects.toThrow(/PULT_TLS_KEY: .* is not a PEM private key/);
  });

  it('the server process given a wrong key path exits with one clear line (no stack)', async () => {
    const wrong = path.join(dir, 'missing', 'pult.key');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'src/main.ts')], {
      cwd: repo,
      env: { ...process.env, PULT_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'pult-tls-state-')), PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'test-password', PULT_TLS_CERT: cert, PULT_TLS_KEY: wrong },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`cannot start: PULT_TLS_KEY: cannot read ${wrong} (no such file)`);
  }, 60_000);
});
