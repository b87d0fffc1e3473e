// Shared helpers of the security probes: extra users, stored calls, sockets,
// polling with a deadline.
import { io as connect, type Socket } from 'socket.io-client';
import { systemClock } from '../../src/clock.js';
import { AuthService, type Role } from '../../src/features/auth/service.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/contract.js';
import type { testServer } from './test-server.js';
import { login } from '../../scripts/lib/pult-process.js';

export type Server = Awaited<ReturnType<typeof testServer>>;
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A user the demo data does not have (e.g. a supervisor of one company only); returns a login token. */
export async function extraUser(s: Server, loginName: string, role: Role, tenantIds: number[]): Promise<{ id: number; token: string }> {
  const user = new AuthService(s.db, systemClock, 12).createUser({ login: loginName, password: 'secret-pass', role, fullName: loginName, tenantIds });
  return { id: user.id, token: await login(s.url, loginName, 'secret-pass') };
}

let seq = 0;
/** A call stored as the router would: on a line, optionally answered on an operator's console. */
export function storeCall(s: Server, lineId: number, answeredBy?: number): string {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  const calls = new CallRepository(s.db);
  const at = new Date().toISOString();
  calls.create({ id, lineId, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${id}`, arrivedAt: at });
  if (answeredBy !== undefined) {
    calls.connect(id, { bridgeId: `${id}-b`, answeredAt: at, answeredBy, answeredVia: 'console', answeredChannelId: `${id}-o1`, answeredNumber: '1001' });
  }
  return id;
}

/** Connects with a login token; resolves once connected, rejects on connect_error. */
export async function openSocket(url: string, token: string, opened: Client[] = [], listen?: (c: Client) => void): Promise<Client> {
  const c: Client = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  opened.push(c);
  listen?.(c); // before connecting: the server pushes right at connect
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', (e) => reject(e));
  });
  return c;
}

export const socketFor = (s: Server, token: string): Promise<Client> => openSocket(s.url, token);

/** Resolves with the disconnect reason, or rejects after `ms`. */
export function disconnected(c: Client, ms = 3000): Promise<string> {
  if (!c.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('socket still connected')), ms);
    c.once('disconnect', (reason) => {
      clearTimeout(t);
      resolve(reason);
    });
  });
}

export async function until<T>(what: string, fn: () => T | null | undefined | false, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
