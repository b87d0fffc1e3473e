// The HTTP client: bearer token from localStorage, JSON in and out, typed
// errors; a 401 anywhere sends the page back to its login form.
import type { AccountItem, CallItem, LoginResult, NewTicketBody, OperatorMe, Ticket, TicketCategory } from './types.ts';

const tokenKey = 'pult.token';

export const session = {
  get token(): string | null {
    try {
      return localStorage.getItem(tokenKey);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    localStorage.setItem(tokenKey, token);
  },
  clear(): void {
    localStorage.removeItem(tokenKey);
  },
};

export interface FieldProblem {
  field: string;
  problem: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
}

let unauthorizedHandler: () => void = () => undefined;
/** What to do when the server says the token is no good (show the login form). */
export function onUnauthorized(fn: () => void): void {
  unauthorizedHandler = fn;
}

/** For requests made outside `request()` (an upload with progress): the server refused the token. */
export function unauthorized(): void {
  session.clear();
  unauthorizedHandler();
}

export async function request<T>(method: string, path: string, body?: unknown, o: { signal?: AbortSignal; auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token;
  if (token && o.auth !== false) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: o.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new HttpError(0, 'network', 'network error');
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const details = Array.isArray(e?.details) ? (e.details as FieldProblem[]).filter((d) => typeof d?.field === 'string') : [];
    if (res.status === 401 && o.auth !== false) {
      session.clear();
      unauthorizedHandler();
    }
    throw new HttpError(res.status, e?.code ?? 'http', e?.message ?? `HTTP ${res.status}`, details);
  }
  return data as T;
}

export const api = {
  login: (login: string, password: string) => request<LoginResult>('POST', '/api/auth/login', { login, password }, { auth: false }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<{ user: LoginResult['user'] }>('GET', '/api/me'),
  operatorMe: () => request<OperatorMe>('GET', '/api/operators/me'),
  setState: (state: 'available' | 'paused' | 'offline', reason?: string) =>
    request<{ operator: OperatorMe['operator'] }>('POST', '/api/operators/me/state', reason ? { state, reason } : { state }),
  searchAccounts: (q: string, limit: number, signal?: AbortSignal) =>
    request<{ items: AccountItem[] }>('GET', `/api/accounts/search?q=${encodeURIComponent(q)}&limit=${limit}`, undefined, { signal }),
  categories: () => request<{ items: TicketCategory[] }>('GET', '/api/ticket-categories'),
  createTicket: (b: NewTicketBody) => request<{ ticket: Ticket }>('POST', '/api/tickets', b),
  ticket: (id: number) => request<{ ticket: Ticket }>('GET', `/api/tickets/${id}`),
  /** A fresh signed recording link (the call list's links live a few minutes). */
  recordingUrl: (callId: string) => request<{ url: string; expiresAt: string }>('GET', `/api/calls/${encodeURIComponent(callId)}/recording-url`),
  myCalls: (o: { limit: number; from?: string }) =>
    request<{ items: CallItem[] }>('GET', `/api/calls?mine=true&limit=${o.limit}${o.from ? `&from=${encodeURIComponent(o.from)}` : ''}`),
  call: (id: string) => request<CallItem>('GET', `/api/calls/${encodeURIComponent(id)}`),
  transfer: (callId: string, target: string) => request<{ transferring: boolean }>('POST', `/api/calls/${encodeURIComponent(callId)}/transfer`, { target }),
  callbacks: (limit: number) => request<{ items: CallbackItem[] }>('GET', `/api/callbacks?limit=${limit}`),
  /** Pult rings your phone, then the task's number. */
  callBack: (id: number) => request<{ callId: string }>('POST', `/api/callbacks/${id}/call`, {}),
  /** A cloud-PBX room's own click-to-call (its vendor rings the operator, then the number). */
  clickToCall: (number: string, callbackId?: number) => request<{ calling: boolean }>('POST', '/api/click-to-call', callbackId ? { number, callbackId } : { number }),
  /** Checks a number the operator dials (and the line); a cloud-PBX company's call is placed by its vendor right away. */
  dial: (number: string, lineId: number | null) =>
    request<{ via: 'softphone' | 'cloud-pbx'; number: string; line: { id: number; name: string; callerId: string | null } }>('POST', '/api/calls/dial', lineId !== null ? { number, lineId } : { number }),
};

export interface CallbackItem {
  id: number;
  callerNumber: string;
  reason: string;
  status: 'pending' | 'assigned' | 'done';
  dueAt: string | null;
  overdue: boolean;
  attempts: number;
  callable: boolean;
}
