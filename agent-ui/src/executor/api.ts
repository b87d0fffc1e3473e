// The executor page's HTTP calls (/api/x/…). Every action carries an
// idempotency key the caller keeps for its retries.
import { HttpError, request, session, unauthorized } from '../lib/api.ts';

export type ActionName = 'accept' | 'impossible' | 'postpone' | 'done';
export interface Photo { id: number; name: string; mime: string; size: number; url: string; thumbUrl: string | null }
export interface ProposalItem { name: string; ordered: number | null; needed: number | null }
export interface Proposal { id: number; at: string; text: string; items: ProposalItem[]; status: 'pending' | 'confirmed' | 'rejected'; decidedBy: { name: string } | null; decisionComment: string | null }
export interface Summary {
  id: number; number: string; kind: 'emergency' | 'planned'; stage: { code: string; name: string }; category: string; address: string; flat: string | null;
  description: string; dueAt: string | null; minutesLeft: number | null; late: boolean; postponedUntil: string | null; needsAttention: 'accept' | 'report' | null;
  /** The visit the resident booked online. */
  visit?: { start: string; end: string } | null;
}
export interface Card extends Summary {
  tenant: { id: number; name: string };
  caller: { name: string | null; phone: string | null; anonymous: boolean };
  result: string | null; reason: string | null;
  actions: ActionName[];
  recordings: { callId: string; arrivedAt: string; url: string; durationSec: number | null }[];
  photos: Photo[];
  proposals: Proposal[];
}
export interface ActionBody { action: ActionName; reason?: string; until?: string; result?: string }

/** A fresh key for one user action (kept with it across retries). */
export const newKey = (): string => `x-${crypto.randomUUID()}`;

export const xapi = {
  list: () => request<{ items: Summary[]; remindEveryMin: number; at: string }>('GET', '/api/x/requests'),
  card: (id: number) => request<{ request: Card }>('GET', `/api/x/requests/${id}`),
  act: (id: number, body: ActionBody, key: string) => request<{ request: Card }>('POST', `/api/x/requests/${id}/actions`, { ...body, idempotencyKey: key }),
  propose: (id: number, body: { text: string; items: ProposalItem[] }, key: string) => request<{ proposal: Proposal }>('POST', `/api/x/requests/${id}/proposals`, { ...body, idempotencyKey: key }),
  /** Multipart upload of camera photos under one idempotency key. */
  async photos(id: number, files: File[], key: string): Promise<{ added: Photo[]; photos: Photo[] }> {
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    let res: Response;
    try {
      res = await fetch(`/api/x/requests/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${session.token ?? ''}`, 'idempotency-key': key }, body: form });
    } catch {
      throw new HttpError(0, 'network', 'network error');
    }
    const data = (await res.json().catch(() => null)) as { added: Photo[]; photos: Photo[]; error?: { code: string; message: string } } | null;
    if (res.status === 401) unauthorized();
    if (!res.ok) throw new HttpError(res.status, data?.error?.code ?? 'http', data?.error?.message ?? `HTTP ${res.status}`);
    return data!;
  },
};

/** Whether a failure is worth retrying with the same key (no answer, or the server's own trouble). */
export const retryable = (err: unknown): boolean => err instanceof HttpError && (err.status === 0 || err.status >= 500 || err.code === 'idempotency_in_progress');
