// socket.io: every socket is authenticated at connect with a login token and
// joined to its rooms — user:<id>, role:<role>, tenant:<id> per company, and
// for supervisors supervisors:<id> per company (what only they may see of
// their companies' operators, e.g. pause reasons).
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
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
};

export function createRealtime(server: http.Server, auth: AuthService, logger: Logger, onConnect: (s: RealtimeSocket) => void): RealtimeServer {
  const io: RealtimeServer = new Server(server, { serveClient: false, cors: { origin: false } });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const user = typeof token === 'string' ? auth.authenticate(token) : null;
    if (!user) {
      logger.warn('socket refused: no valid token', { address: socket.handshake.address });
      return next(new Error('unauthorized'));
    }
    socket.data = { userId: user.id, role: user.role, tenantIds: user.tenantIds };
    next();
  });
  io.on('connection', (socket) => {
    const d = socket.data;
    const supervised = d.role === 'supervisor' ? (d.tenantIds ?? []).map(rooms.supervisors) : [];
    void socket.join([rooms.user(d.userId), rooms.role(d.role), ...(d.tenantIds ?? []).map(rooms.tenant), ...supervised]);
    onConnect(socket);
  });
  return io;
}
