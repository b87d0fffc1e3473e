// socket.io: every socket is authenticated at connect with a login token and
// joined to its rooms — user:<id>, role:<role>, tenant:<id> per company, and
// session:<key> for its login session, and for supervisors supervisors:<id> per
// company (what only they may see of their companies' operators, e.g. pause
// reasons). A socket lives no longer than its session: logout, a password
// change, a disabled user and expiry disconnect it.
import type http from 'node:http';
import type https from 'node:https';
import { Server, type Socket } from 'socket.io';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AuthService } from '../features/auth/service.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './contract.js';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const rooms = {
  user: (id: number) => `user:${id}`,
  role: (role: string) => `role:${role}`,
  tenant: (id: number) => `tenant:${id}`,
  /** Supervisors of one company (admins are in role:admin). */
  supervisors: (tenantId: number) => `supervisors:${tenantId}`,
  session: (key: string) => `session:${key}`,
};

/** setTimeout's limit (about 24.8 days); a longer session's socket is cut then and reconnects. */
const maxTimerMs = 2 ** 31 - 1;

export function createRealtime(server: http.Server | https.Server, auth: AuthService, clock: Clock, logger: Logger, onConnect: (s: RealtimeSocket) => void): RealtimeServer {
  const io: RealtimeServer = new Server(server, { serveClient: false, cors: { origin: false } });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const session = typeof token === 'string' ? auth.session(token) : null;
    if (!session) {
      logger.warn('socket refused: no valid token', { address: socket.handshake.address });
      return next(new Error('unauthorized'));
    }
    const { user } = session;
    socket.data = { userId: user.id, role: user.role, tenantIds: user.tenantIds, sessionKey: session.key, sessionExpiresAt: session.expiresAt };
    next();
  });
  io.on('connection', (socket) => {
    const d = socket.data;
    const supervised = d.role === 'supervisor' ? (d.tenantIds ?? []).map(rooms.supervisors) : [];
    void socket.join([rooms.user(d.userId), rooms.role(d.role), rooms.session(d.sessionKey), ...(d.role === 'executor' ? [] : (d.tenantIds ?? []).map(rooms.tenant)), ...supervised]);
    const timer = setTimeout(() => {
      logger.info('socket disconnected: session expired', { userId: d.userId, session: d.sessionKey });
      socket.disconnect(true);
    }, Math.min(Math.max(0, new Date(d.sessionExpiresAt).getTime() - clock.now().getTime()), maxTimerMs));
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
    onConnect(socket);
  });
  auth.on('sessionsEnded', (keys) => {
    for (const key of keys) io.in(rooms.session(key)).disconnectSockets(true);
  });
  return io;
}
