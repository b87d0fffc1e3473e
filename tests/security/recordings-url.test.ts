// Issue 9, item 10: a token in the query string authorises nothing. A
// recording is fetched with a bearer token or with a short-lived signed link
// (HMAC over call id and expiry), and is never cached (private, no-store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { CallRepository } from '../../src/features/calls/repository.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const secret = 'a-test-signing-secret-of-32-characters!';
let s: Server;
let admin = '';
let operator2 = ''; // serves company 1 only
const wav = Buffer.alloc(44 + 8000);

/** A WAV header plus silence: 1 s of 8 kHz 8-bit mono. */
function writeWav(file: string): void {
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(wav.length - 8, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(8000, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(8000, 40);
  for (let i = 44; i < wav.length; i++) wav[i] = (i * 7) % 256;
  writeFileSync(file, wav);
}

/** A finished call on a line with a stored recording, as the router would leave it. */
function storedCall(id: string, lineId: number): void {
  const calls = new CallRepository(s.db);
  const at = new Date(Date.now() - 60_000).toISOString();
  calls.create({ id, lineId, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${id}`, arrivedAt: at });
  calls.end(id, { endedAt: new Date().toISOString(), outcome: 'answered', endReason: 'caller hung up' });
  mkdirSync(s.config.recordingsDir, { recursive: true });
  const file = path.join(s.config.recordingsDir, `${id}.wav`);
  writeWav(file);
  calls.startRecording(id, `rec-${id}`, 'wav', at);
  calls.recordingStored(`rec-${id}`, { filePath: file, sizeBytes: wav.length, durationSec: 1, at });
}

const callA = '00000000-0000-4000-9000-00000000000a'; // line 1, company 1
const callB = '00000000-0000-4000-9000-00000000000b'; // line 2, company 2
const sign = (callId: string, exp: number) => createHmac('sha256', secret).update(`recording\n${callId}\n${exp}`).digest('base64url');

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_URL_SIGNING_SECRET: secret, PULT_RECORDING_URL_TTL_SEC: '120' });
  admin = await login(s.url, 'admin', 'demo');
  operator2 = await login(s.url, 'operator2', 'demo');
  storedCall(callA, 1);
  storedCall(callB, 2);
});
afterAll(async () => {
  await s.stop();
});

async function signedUrlOf(callId: string): Promise<string> {
  const r = await api<{ items: { id: string; recordingUrl: string | null }[] }>(s.url, 'GET', '/api/calls', undefined, admin);
  const url = r.body.items.find((c) => c.id === callId)?.recordingUrl;
  if (!url) throw new Error(`no recording link for ${callId}`);
  return url;
}

describe('query-string tokens', () => {
  it('authorise no API call, GET or POST', async () => {
    const q = `access_token=${encodeURIComponent(admin)}`;
    expect((await fetch(`${s.url}/api/me?${q}`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/calls?${q}`)).status).toBe(401);
    const post = await fetch(`${s.url}/api/operators?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'evil', password: 'secret-1', fullName: 'E', extension: '6666' }) });
    expect(post.status).toBe(401);
    expect(s.db.prepare("SELECT count(*) FROM users WHERE login = 'evil'").pluck().get()).toBe(0);
    expect((await fetch(`${s.url}/api/calls/${callA}/recording?${q}`)).status).toBe(401);
  });
});

describe('recording links', () => {
  it('the call list gives a signed link that plays without a token, with Range, never cached', async () => {
    const url = await signedUrlOf(callA);
    expect(url).toMatch(new RegExp(`^/api/calls/${callA}/recording\\?exp=\\d+&sig=[\\w-]+$`));
    expect(url).not.toContain(admin);
    const whole = await fetch(s.url + url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('cache-control')).toBe('private, no-store');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await whole.arrayBuffer()).equals(wav)).toBe(true);
    const part = await fetch(s.url + url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('cache-control')).toBe('private, no-store');
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it('with a bearer token the recording is served too, never cached', async () => {
    const r = await fetch(`${s.url}/api/calls/${callA}/recording`, { headers: { authorization: `Bearer ${admin}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a tampered, moved or expired link is refused', async () => {
    const url = new URL(s.url + (await signedUrlOf(callA)));
    const sig = url.searchParams.get('sig')!;
    const exp = Number(url.searchParams.get('exp'));
    const at = (callId: string, e: number | string, g: string) => fetch(`${s.url}/api/calls/${callId}/recording?exp=${e}&sig=${encodeURIComponent(g)}`);
    expect((await at(callA, exp, sig)).status).toBe(200);
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect((await at(callA, exp, flipped)).status).toBe(401);
    expect((await at(callA, exp + 3600, sig)).status).toBe(401); // a longer life is not for the taking
    expect((await at(callB, exp, sig)).status).toBe(401); // another call's recording
    expect((await at(callA, 'soon', sig)).status).toBe(401);
    expect((await fetch(`${s.url}/api/calls/${callA}/recording?sig=${sig}`)).status).toBe(401);
    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = await at(callA, past, sign(callA, past)); // a genuine signature, out of date
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('link_expired');
    const future = Math.floor(Date.now() / 1000) + 60;
    expect((await at(callA, future, sign(callA, future))).status).toBe(200); // the configured secret is the key
  });

  it('a fresh link is handed only to users who may see the call', async () => {
    const fresh = await api<{ url: string; expiresAt: string }>(s.url, 'GET', `/api/calls/${callA}/recording-url`, undefined, operator2);
    expect(fresh.status).toBe(200);
    expect(new Date(fresh.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(new Date(fresh.body.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
    expect((await fetch(s.url + fresh.body.url)).status).toBe(200);
    expect((await api(s.url, 'GET', `/api/calls/${callB}/recording-url`, undefined, operator2)).status).toBe(404);
    expect((await fetch(`${s.url}/api/calls/${callB}/recording`, { headers: { authorization: `Bearer ${operator2}` } })).status).toBe(404);
    expect((await fetch(`${s.url}/api/calls/${callA}/recording-url`)).status).toBe(401);
  });
});
