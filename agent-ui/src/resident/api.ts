// The residents' pages talk to /api/public only: no login, no cookies
// (credentials: 'omit'), errors as { status, code, details, retryAfterSec }.
import type { PublicBuilding, PublicCategory, PublicCompany, StatusView, WebFormAnswer } from '../../../src/channels/web/schema.ts';

export type { PublicBuilding, PublicCategory, PublicCompany, StatusView, WebFormAnswer };

export class PublicError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: { field: string; problem: string }[] = [], readonly retryAfterSec = 0) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: FormData | unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'omit', cache: 'no-store', headers: { accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new PublicError(0, 'network', 'network');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } } & T;
  if (!res.ok) {
    const e = data.error;
    const details = Array.isArray(e?.details) ? (e.details as { field: string; problem: string }[]) : [];
    const retry = (e?.details as { retryAfterSec?: number } | undefined)?.retryAfterSec ?? Number(res.headers.get('retry-after') ?? 0);
    throw new PublicError(res.status, e?.code ?? 'error', e?.message ?? res.statusText, details, retry);
  }
  return data;
}

export const publicApi = {
  companies: () => call<{ items: PublicCompany[] }>('GET', '/api/public/companies'),
  form: (tenantId: number) => call<{ company: PublicCompany; categories: PublicCategory[]; maxPhotos: number; maxMb: number }>('GET', `/api/public/web/${tenantId}`),
  buildings: (tenantId: number, q: string) => call<{ items: PublicBuilding[] }>('GET', `/api/public/web/${tenantId}/buildings?q=${encodeURIComponent(q)}`),
  submit: (tenantId: number, form: FormData) => call<WebFormAnswer>('POST', `/api/public/web/${tenantId}/requests`, form),
  status: (token: string) => call<{ request: StatusView }>('GET', `/api/public/status/${encodeURIComponent(token)}`),
  rate: (token: string, b: { score: number; comment?: string; questionsLeft: boolean }) => call<{ reopened: boolean; request: StatusView }>('POST', `/api/public/status/${encodeURIComponent(token)}/rating`, b),
  message: (token: string, text: string) => call<{ request: StatusView }>('POST', `/api/public/status/${encodeURIComponent(token)}/messages`, { text }),
};
