// Small helpers for the outside probes: a socket.io client as a browser would
// open it, and polling with a deadline.
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/contract.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects with a login token; resolves once connected, rejects on connect_error. */
export async function openSocket(url: string, token: string, opened: Client[], listen?: (c: Client) => void): Promise<Client> {
  const c: Client = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  opened.push(c);
  listen?.(c); // before connecting: the server pushes right at connect
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', (e) => reject(e));
  });
  return c;
}

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
