// The requests («Заявки») API as the console uses it: list with filters,
// a request's page, edit, stage transitions, comments, «Дополнить».
import { HttpError, request, session, unauthorized, type FieldProblem } from './api.ts';
import type { Ticket } from './types.ts';

export type Channel = 'call' | 'walk-in' | 'letter' | 'email' | 'web' | 'other';
export const channelCodes: Channel[] = ['call', 'walk-in', 'letter', 'email', 'web', 'other'];

export interface RequestItem {
  id: number; number: string; tenantId: number; tenantName: string; kind: 'emergency' | 'planned';
  stage: string; stageName: string; status: 'open' | 'closed'; categoryId: number; categoryName: string;
  description: string; address: string; flat: string | null; callerPhone: string | null; channel: Channel;
  assigneeId: number | null; assigneeName: string | null; createdAt: string; dueAt: string | null; closedAt: string | null;
  minutesLeft: number | null; late: boolean; dueSoon: boolean;
}

export interface StageRef { code: string; name: string }

export interface RequestDetail extends Ticket {
  stage: StageRef;
  channel: Channel;
  assignee: { id: number; name: string } | null;
  result: string | null; reason: string | null; postponedUntil: string | null;
  handedAt: string | null; acceptedAt: string | null; doneAt: string | null; documentPending: boolean;
  minutesLeft: number | null; late: boolean;
  allowedNext: StageRef[];
  history: { at: string; by: { id: number; name: string } | null; from: string | null; to: string; fromName: string | null; toName: string; comment: string | null }[];
  comments: { id: number; at: string; by: { id: number; name: string }; kind: 'comment' | 'append' | 'edit'; text: string; callId: string | null }[];
  calls: { id: string; callerNumber: string; arrivedAt: string; answeredAt: string | null; endedAt: string | null; outcome: string | null; recordingUrl: string | null }[];
  ruleErrors: unknown[];
  attachments: Attachment[];
  /** Values chosen from the company's own dictionaries. */
  dictionaryValues: ChosenValue[];
}

export interface ChosenValue { dictionaryId: number; dictionary: string; valueId: number; value: string }
export interface Dictionary { id: number; tenantId: number; name: string; appliesTo: 'requests' | 'accounts' | 'both'; values: { id: number; value: string; active: boolean }[] }

/** One attachment; `url` and `thumbUrl` are short-lived signed links (usable in <img> and a new tab). */
export interface Attachment { id: number; name: string; mime: string; size: number; at: string; by: { id: number; name: string }; url: string; thumbUrl: string | null }


export interface ListQuery {
  number?: string; phone?: string; address?: string; text?: string; tenantId?: number; stage?: string; status?: 'open' | 'closed';
  kind?: 'emergency' | 'planned'; categoryId?: number; assigneeId?: number | 'none'; channel?: Channel; late?: boolean;
  from?: string; to?: string; cursor?: string; limit?: number;
}

export interface EditBody { description?: string; address?: string; flat?: string | null; callerName?: string | null; callerPhone?: string | null; categoryId?: number; kind?: 'emergency' | 'planned'; assigneeId?: number | null }
export interface TransitionBody { to: string; comment?: string; result?: string; reason?: string; until?: string; assigneeId?: number }

const qs = (q: ListQuery): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === '' || v === false) continue;
    p.set(k, v === true ? '1' : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
};

type One = { request: RequestDetail };
const path = (id: number, rest = '') => `/api/requests/${id}${rest}`;

export const requestsApi = {
  list: (q: ListQuery, signal?: AbortSignal) => request<{ items: RequestItem[]; next: string | null }>('GET', `/api/requests${qs(q)}`, undefined, { signal }),
  get: (id: number) => request<One>('GET', path(id)),
  edit: (id: number, b: EditBody) => request<One>('PATCH', path(id), b),
  transition: (id: number, b: TransitionBody) => request<One>('POST', path(id, '/transition'), b),
  comment: (id: number, text: string) => request<One>('POST', path(id, '/comments'), { text }),
  append: (id: number, text: string, callId?: string) => request<One>('POST', path(id, '/append'), callId ? { text, callId } : { text }),
  pipeline: (tenantId: number, kind: 'emergency' | 'planned') =>
    request<{ pipeline: { stages: { code: string; name: string; rules: { type: string; fields?: string[] }[] }[] } }>('GET', `/api/pipelines/${tenantId}/${kind}`),
  attachments: (id: number) => request<{ attachments: Attachment[] }>('GET', path(id, '/attachments')),
  dictionaries: (tenantId: number) => request<{ items: Dictionary[] }>('GET', `/api/dictionaries?tenantId=${tenantId}&appliesTo=requests`),
  chooseValues: (id: number, values: { dictionaryId: number; valueId: number | null }[]) =>
    request<{ dictionaryValues: ChosenValue[] }>('PUT', path(id, '/dictionary-values'), { values }),
  executors: (tenantId: number) => request<{ items: { id: number; name: string }[] }>('GET', `/api/requests/executors?tenantId=${tenantId}`),
};

/**
 * Uploads files to a request (multipart, field `files`) with progress; XMLHttpRequest
 * because fetch reports no upload progress. Errors come back as HttpError like request()'s.
 */
export function uploadAttachments(id: number, files: File[], onProgress: (fraction: number) => void): Promise<{ added: Attachment[]; attachments: Attachment[] }> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path(id, '/attachments'));
    xhr.setRequestHeader('accept', 'application/json');
    const token = session.token;
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('error', () => reject(new HttpError(0, 'network', 'network error')));
    xhr.addEventListener('load', () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as { added: Attachment[]; attachments: Attachment[] });
      if (xhr.status === 401) unauthorized();
      const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      const details = Array.isArray(e?.details) ? (e.details as FieldProblem[]) : [];
      reject(new HttpError(xhr.status, e?.code ?? 'http', e?.message ?? `HTTP ${xhr.status}`, details));
    });
    xhr.send(form);
  });
}
