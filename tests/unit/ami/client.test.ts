import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { AmiClient, AmiError, type QueueStatusSnapshot } from '../../../src/telephony/ami/client.js';
import { AmiParser, formatAmiMessage, type AmiMessage } from '../../../src/telephony/ami/parser.js';
import { silentLogger } from '../../../src/log.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const until = async (test: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 5));
  }
};

type Handler = (action: AmiMessage, reply: (fields: Record<string, string>) => void, socket: net.Socket) => boolean | void;

/**
 * A fake AMI server: banner, Login (pult/secret), Ping, QueueStatus with a fixed
 * queue, and whatever `extra` answers. Replies are written in small pieces to
 * exercise the client's parser.
 */
async function fakeAmi(extra: Handler = () => false, listenPort = 0) {
  const sockets: net.Socket[] = [];
  const actions: AmiMessage[] = [];
  let queueStatusCalls = 0;
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.write('Asterisk Call Manager/11.0.0\r\n');
    let authed = false;
    // Every message goes out in two writes a tick apart (the client must reassemble
    // it); writes are chained so that messages never interleave.
    let out = Promise.resolve();
    const send = (text: string) => {
      const mid = Math.floor(text.length / 2);
      out = out.then(async () => {
        if (socket.destroyed) return;
        socket.write(text.slice(0, mid));
        await new Promise((r) => setTimeout(r, 1));
        if (!socket.destroyed) socket.write(text.slice(mid));
      });
    };
    const parser = new AmiParser({
      acceptActions: true,
      onMessage: (m) => {
        if (m.type !== 'action') return;
        actions.push(m);
        const id = m.get('ActionID') ?? '';
        const reply = (fields: Record<string, string>) => send(formatAmiMessage({ ...fields, ActionID: id }));
        const action = m.get('Action')!.toLowerCase();
        if (action === 'login') {
          authed = m.get('Username') === 'pult' && m.get('Secret') === 'secret' && m.get('Events') === 'on';
          if (authed) {
            reply({ Response: 'Success', Message: 'Authentication accepted' });
            send('Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n');
          } else reply({ Response: 'Error', Message: 'Authentication failed' });
          return;
        }
        if (!authed) return reply({ Response: 'Error', Message: 'Permission denied' });
        if (extra(m, reply, socket)) return;
        if (action === 'ping') return reply({ Response: 'Success', Ping: 'Pong', Timestamp: '1.0' });
        if (action === 'queuestatus') {
          queueStatusCalls++;
          send(formatAmiMessage({ Response: 'Success', ActionID: id, EventList: 'start', Message: 'Queue status will follow' }));
          send(formatAmiMessage({ Event: 'QueueParams', Queue: 'support', Max: '0', Strategy: 'ringall', Calls: '1', ServicelevelPerf: '0.0', ActionID: id }));
          send(formatAmiMessage({ Event: 'QueueMember', Queue: 'support', Name: 'Agent One', Location: 'PJSIP/1001', StateInterface: 'PJSIP/1001', Status: '1', Paused: '0', ActionID: id }));
          // A real-time event in the middle of the list: not part of the snapshot.
          send(formatAmiMessage({ Event: 'Newchannel', Channel: 'PJSIP/9-1' }));
          send(formatAmiMessage({ Event: 'QueueMember', Queue: 'support', Name: 'Agent Two', Location: 'PJSIP/1002', StateInterface: 'PJSIP/1002', Status: '5', Paused: '1', PausedReason: 'lunch', ActionID: id }));
          send(formatAmiMessage({ Event: 'QueueEntry', Queue: 'support', Position: '1', Channel: 'PJSIP/carrier-0001', CallerIDNum: '79161234567', Wait: '12', ActionID: id }));
          send(formatAmiMessage({ Event: 'QueueStatusComplete', ActionID: id, EventList: 'Complete', ListItems: '4' }));
          return;
        }
        reply({ Response: 'Error', Message: 'Invalid/unknown command' });
      },
    });
    socket.on('data', (c) => parser.push(c));
  });
  await new Promise<void>((r) => server.listen(listenPort, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  return { port, sockets, actions, server, queueStatusCalls: () => queueStatusCalls };
}

function client(port: number, secret = 'secret', extra: Partial<ConstructorParameters<typeof AmiClient>[0]> = {}) {
  const c = new AmiClient({ host: '127.0.0.1', port, username: 'pult', secret, logger: silentLogger, minBackoffMs: 20, maxBackoffMs: 60, actionTimeoutMs: 1000, pingIntervalMs: 0, ...extra });
  cleanups.push(() => c.stop());
  return c;
}

describe('AMI client', () => {
  it('logs in with Events: on, reads the banner, receives events, and gets a QueueStatus snapshot', async () => {
    const ami = await fakeAmi();
    const c = client(ami.port);
    const events: AmiMessage[] = [];
    const snaps: QueueStatusSnapshot[] = [];
    c.on('event', (e) => events.push(e));
    c.on('queueStatus', (s) => snaps.push(s));
    c.start();
    await until(() => snaps.length === 1);
    expect(c.connected).toBe(true);
    expect(c.protocolVersion).toBe('11.0.0');
    const login = ami.actions[0]!;
    expect(login.get('Action')).toBe('Login');
    expect(login.get('ActionID')).toMatch(/^[0-9a-f]{8}-\d+$/);
    const snap = snaps[0]!;
    expect(snap.queues.map((q) => q.get('Queue'))).toEqual(['support']);
    expect(snap.queues[0]!.get('ServiceLevelPerf')).toBe('0.0');
    expect(snap.members.map((m) => [m.get('Name'), m.get('Paused'), m.get('PausedReason')])).toEqual([
      ['Agent One', '0', undefined],
      ['Agent Two', '1', 'lunch'],
    ]);
    expect(snap.entries.map((e) => e.get('CallerIDNum'))).toEqual(['79161234567']);
    // FullyBooted and the interleaved Newchannel are events; the list items are not.
    expect(events.map((e) => e.event)).toEqual(['FullyBooted', 'Newchannel']);
  });

  it('correlates concurrent actions by ActionID even when answered out of order', async () => {
    const ami = await fakeAmi((m, reply) => {
      if (m.get('Action') !== 'Delay') return false;
      setTimeout(() => reply({ Response: 'Success', Waited: m.get('Ms')! }), Number(m.get('Ms')));
      return true;
    });
    const c = client(ami.port);
    c.start();
    await until(() => c.connected);
    const [slow, fast, pong] = await Promise.all([c.action({ Action: 'Delay', Ms: 80 }), c.action({ Action: 'Delay', Ms: 10 }), c.action({ Action: 'Ping' })]);
    expect(slow.get('Waited')).toBe('80');
    expect(fast.get('Waited')).toBe('10');
    expect(pong.get('Ping')).toBe('Pong');
  });

  it('rejects on Response: Error, on timeout, and before login', async () => {
    const ami = await fakeAmi((m) => m.get('Action') === 'Never');
    const c = client(ami.port);
    await expect(c.action({ Action: 'Ping' })).rejects.toThrow(/not connected/);
    c.start();
    await until(() => c.connected);
    const err = await c.action({ Action: 'Bogus' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmiError);
    expect((err as AmiError).response?.get('Message')).toBe('Invalid/unknown command');
    await expect(c.action({ Action: 'Never' }, { timeoutMs: 50 })).rejects.toThrow(/no response in 50 ms/);
    await expect(c.action({ Action: 'Ping', X: 'a\r\nAction: Logoff' })).rejects.toThrow(/line break/);
    // Still usable afterwards.
    expect((await c.action({ Action: 'Ping' })).get('Response')).toBe('Success');
  });

  it('queuePause sends QueuePause with Interface, Paused, Queue and Reason', async () => {
    const ami = await fakeAmi((m, reply) => {
      if (m.get('Action') !== 'QueuePause') return false;
      reply({ Response: 'Success', Message: 'Interface paused successfully' });
      return true;
    });
    const c = client(ami.port);
    c.start();
    await until(() => c.connected);
    await c.queuePause('support', 'PJSIP/1001', true, 'lunch');
    await c.queuePause(null, 'PJSIP/1001', false);
    const sent = ami.actions.filter((a) => a.get('Action') === 'QueuePause').map((a) => ({ ...a.fields, ActionID: undefined }));
    expect(sent).toEqual([
      { Action: 'QueuePause', Interface: 'PJSIP/1001', Paused: 'true', Queue: 'support', Reason: 'lunch', ActionID: undefined },
      { Action: 'QueuePause', Interface: 'PJSIP/1001', Paused: 'false', ActionID: undefined },
    ]);
  });

  it('a refused login is reported and retried with backoff, never marked connected', async () => {
    const ami = await fakeAmi();
    const c = client(ami.port, 'wrong');
    const failures: AmiError[] = [];
    let connected = 0;
    c.on('loginFailed', (e) => failures.push(e));
    c.on('connected', () => connected++);
    c.start();
    await until(() => failures.length >= 2);
    expect(failures[0]!.response?.get('Message')).toBe('Authentication failed');
    expect(connected).toBe(0);
    expect(c.connected).toBe(false);
  });

  it('reconnects after the server drops it, fails pending actions, and re-reads QueueStatus', async () => {
    const ami = await fakeAmi((m) => m.get('Action') === 'Never');
    const c = client(ami.port);
    const states: string[] = [];
    const snaps: QueueStatusSnapshot[] = [];
    c.on('connected', () => states.push('up'));
    c.on('disconnected', () => states.push('down'));
    c.on('queueStatus', (s) => snaps.push(s));
    c.start();
    await until(() => snaps.length === 1);
    const pending = c.action({ Action: 'Never' }, { timeoutMs: 5000 });
    await until(() => ami.actions.some((a) => a.get('Action') === 'Never'));
    ami.sockets[0]!.destroy();
    await expect(pending).rejects.toThrow(/connection lost/);
    await until(() => snaps.length === 2);
    expect(states).toEqual(['up', 'down', 'up']);
    expect(ami.sockets).toHaveLength(2);
    expect(ami.queueStatusCalls()).toBe(2);
  });

  it('keeps trying while the server is gone, and connects when it comes back', async () => {
    // Reserve a port, then free it: nothing listens there for a while.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = client(port);
    c.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(c.connected).toBe(false);
    // Now an AMI appears on that port.
    await fakeAmi(undefined, port);
    await until(() => c.connected, 3000);
  });

  it('a malformed frame from the server is reported and the stream goes on', async () => {
    const ami = await fakeAmi();
    const c = client(ami.port);
    const events: string[] = [];
    const reasons: string[] = [];
    c.on('event', (e) => events.push(e.event!));
    c.on('parseError', (e) => reasons.push(e.reason));
    c.on('queueStatus', () => events.push('(snapshot)'));
    c.start();
    await until(() => events.includes('(snapshot)'));
    ami.sockets[0]!.write(Buffer.concat([Buffer.from('Event: Broken\r\n'), Buffer.from([0x41, 0x3a, 0x20, 0, 1, 2, 0xff]), Buffer.from('\r\n\r\nEvent: AgentCalled\r\nQueue: support\r\n\r\n')]));
    await until(() => events.includes('AgentCalled'));
    expect(reasons).toEqual(['control-characters']);
    expect(events).not.toContain('Broken');
  });

  it('a throwing event listener does not break the connection', async () => {
    const ami = await fakeAmi();
    const c = client(ami.port);
    const seen: string[] = [];
    c.on('event', (e) => {
      seen.push(e.event!);
      if (e.event === 'FullyBooted') throw new Error('listener bug');
    });
    let snapshot = false;
    c.on('queueStatus', () => (snapshot = true));
    c.start();
    await until(() => snapshot);
    ami.sockets[0]!.write('Event: Later\r\n\r\n');
    await until(() => seen.includes('Later'));
    expect(c.connected).toBe(true);
  });

  it('drops a connection whose Ping goes unanswered', async () => {
    let pings = 0;
    const ami = await fakeAmi((m) => m.get('Action') === 'Ping' && ++pings === 1);
    const c = client(ami.port, 'secret', { pingIntervalMs: 60 });
    const states: string[] = [];
    c.on('connected', () => states.push('up'));
    c.on('disconnected', () => states.push('down'));
    c.start();
    await until(() => states.length >= 3, 3000);
    expect(states.slice(0, 3)).toEqual(['up', 'down', 'up']);
  });
});
