import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AriClient } from '../../src/telephony/ari/client.js';
import { AriPbx, translateAriEvent } from '../../src/telephony/ari/adapter.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { PbxCommandError } from '../../src/telephony/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fake ARI: REST answers from a handler, events over a WebSocket. */
async function fakeAri(rest: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.writeHead(404).end()) {
  const server = http.createServer(rest);
  const wss = new WebSocketServer({ server, path: '/ari/events' });
  const sockets: WebSocket[] = [];
  const auth: string[] = [];
  wss.on('connection', (ws, req) => {
    sockets.push(ws);
    auth.push(req.headers.authorization ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise<void>((r) => (wss.close(), server.close(() => r()), sockets.forEach((s) => s.terminate()))));
  return { url, sockets, auth, wss };
}

const until = async (test: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ARI client', () => {
  it('connects with basic auth, reconnects after a drop, and keeps reconnecting while the PBX is gone', async () => {
    const ari = await fakeAri();
    const states: boolean[] = [];
    const c = new AriClient({ url: ari.url, user: 'pult', password: 'pw', app: 'pult', logger: silentLogger, minBackoffMs: 20, maxBackoffMs: 50 });
    c.onState((up) => states.push(up));
    c.start();
    cleanups.push(() => c.stop());
    await until(() => c.connected);
    expect(ari.auth[0]).toBe('Basic ' + Buffer.from('pult:pw').toString('base64'));
    ari.sockets[0]!.terminate();
    await until(() => states.length >= 3);
    expect(states.slice(0, 3)).toEqual([true, false, true]);
    expect(ari.sockets).toHaveLength(2);
  });

  it('drops frames that are not JSON and carries on', async () => {
    const ari = await fakeAri();
    const got: unknown[] = [];
    const lines: string[] = [];
    const c = new AriClient({ url: ari.url, user: 'u', password: 'p', app: 'pult', logger: createLogger('debug', {}, (l) => lines.push(l)), minBackoffMs: 20 });
    c.onEvent((e) => got.push(e));
    c.start();
    cleanups.push(() => c.stop());
    await until(() => c.connected);
    ari.sockets[0]!.send('{not json');
    ari.sockets[0]!.send(JSON.stringify({ type: 'Ping' }));
    await until(() => got.length === 1);
    expect(got).toEqual([{ type: 'Ping' }]);
    expect(lines.some((l) => l.includes('not JSON'))).toBe(true);
    expect(c.connected).toBe(true);
  });

  it('turns REST failures into PbxCommandError with the status and ARI message', async () => {
    const ari = await fakeAri((_req, res) => res.writeHead(422, { 'content-type': 'application/json' }).end('{"message":"Channel not in Stasis application"}'));
    const c = new AriClient({ url: ari.url, user: 'u', password: 'p', app: 'pult', logger: silentLogger });
    const err = await c.request('POST', '/channels/x/answer').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PbxCommandError);
    expect((err as PbxCommandError).status).toBe(422);
    expect((err as Error).message).toContain('Channel not in Stasis application');
    const down = new AriClient({ url: 'http://127.0.0.1:9', user: 'u', password: 'p', app: 'pult', logger: silentLogger });
    const e2 = await down.request('GET', '/channels').catch((e: unknown) => e);
    expect((e2 as PbxCommandError).status).toBeNull();
  });
});

describe('ARI event translation', () => {
  const channel = { id: 'c1', name: 'PJSIP/carrier-1', state: 'Ring', caller: { name: '', number: '79161234567' }, creationtime: '2026-11-23T10:00:00.000+0300', dialplan: { app_name: 'Stasis', app_data: 'pult,inbound,74950000001' } };

  it('translates the events routing uses', () => {
    expect(translateAriEvent({ type: 'StasisStart', channel, args: ['inbound', '74950000001'] }, silentLogger)).toMatchObject({ type: 'channelEntered', args: ['inbound', '74950000001'], channel: { id: 'c1', callerNumber: '79161234567', dialplanAppData: 'pult,inbound,74950000001' } });
    expect(translateAriEvent({ type: 'ChannelDestroyed', channel, cause: 17, cause_txt: 'User busy' }, silentLogger)).toEqual({ type: 'channelDestroyed', channelId: 'c1', cause: 17, causeText: 'User busy' });
    expect(translateAriEvent({ type: 'RecordingFinished', recording: { name: 'pult-x', duration: 12 } }, silentLogger)).toEqual({ type: 'recordingFinished', name: 'pult-x', durationSec: 12 });
    expect(translateAriEvent({ type: 'ChannelVarset', channel }, silentLogger)).toBeNull();
  });

  it('drops a malformed event with a clear log line instead of throwing', () => {
    const lines: string[] = [];
    const log = createLogger('debug', {}, (l) => lines.push(l));
    expect(translateAriEvent({ type: 'StasisStart', channel: { id: 5 } }, log)).toBeNull();
    expect(translateAriEvent({ type: 'ChannelDestroyed' }, log)).toBeNull();
    expect(translateAriEvent(null, log)).toBeNull();
    expect(translateAriEvent('garbage', log)).toBeNull();
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'malformed ARI event dropped', type: 'StasisStart' });
  });
});

describe('ARI event filter (issue 15: screen pop under a burst)', () => {
  it('on every connect, asks Asterisk for the event types Pult acts on and no others', async () => {
    const filters: { url: string; method: string; body: unknown }[] = [];
    const ari = await fakeAri((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        filters.push({ url: req.url ?? '', method: req.method ?? '', body: body ? JSON.parse(body) : null });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const pbx = new AriPbx({ url: ari.url, user: 'u', password: 'p', app: 'pult', logger: silentLogger, minBackoffMs: 20, maxBackoffMs: 50 }, silentLogger);
    pbx.start();
    cleanups.push(() => pbx.stop());
    await until(() => filters.length === 1);
    ari.sockets[0]!.terminate();
    await until(() => filters.length === 2);
    for (const f of filters) {
      expect(f).toMatchObject({ method: 'PUT', url: '/ari/applications/pult/eventFilter' });
      const types = (f.body as { allowed: { type: string }[] }).allowed.map((a) => a.type).sort();
      expect(types).toEqual(['ChannelDestroyed', 'ChannelDtmfReceived', 'PlaybackFinished', 'RecordingFailed', 'RecordingFinished', 'StasisEnd', 'StasisStart']);
    }
  });
});
