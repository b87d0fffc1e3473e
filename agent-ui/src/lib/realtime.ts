// socket.io to the same origin, authenticated with the login token. The
// server re-sends the current card on every (re)connect by itself.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from './types.ts';

export type PultSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectRealtime(token: string, o: { onUp(): void; onDown(): void; onUnauthorized(): void }): PultSocket {
  const socket: PultSocket = io({ auth: { token }, reconnectionDelay: 500, reconnectionDelayMax: 5000 });
  socket.on('connect', () => o.onUp());
  socket.on('disconnect', (reason) => {
    o.onDown();
    // The server cuts a socket whose session ended (logout elsewhere, expiry,
    // a disabled user). Try once more: a dead token comes back 'unauthorized'.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'unauthorized') {
      socket.disconnect();
      o.onUnauthorized();
    } else {
      o.onDown();
    }
  });
  return socket;
}
