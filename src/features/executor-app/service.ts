// The executor's use cases on their phone: their open requests as cards
// (emergencies first, countdown to the deadline, the caller to ring, the
// call's recording, photos), the four actions mapped onto the pipeline's
// transitions, and change proposals a dispatcher confirms or rejects.
import type { Clock } from '../../clock.js';
import { ApiError, notFound } from '../../http/errors.js';
import type { User } from '../auth/service.js';
import type { AttachmentView } from '../attachments/index.js';
import type { RequestService } from '../requests/index.js';
import type { CardRow, ExecutorAppRepository, ProposalItem, ProposalRow } from './repository.js';

export type ActionName = 'accept' | 'impossible' | 'postpone' | 'done';
export interface ActionInput { action: ActionName; reason?: string; until?: string; result?: string; comment?: string }

/** Which stage each action moves the request to. */
export const actionStage: Record<ActionName, string> = { accept: 'in_work', impossible: 'impossible', postpone: 'postponed', done: 'done' };
/** Stages an executor accepts from (the pipeline's done → in_work is the dispatcher's "back to work", not theirs). */
const acceptFrom = new Set(['new', 'assigned', 'postponed']);
const possible = (a: ActionName, stage: string, allowed: Set<string>) => allowed.has(actionStage[a]) && (a !== 'accept' || acceptFrom.has(stage));

export interface ExecutorAppDeps {
  requests: RequestService;
  /** A request's attachments with fresh signed links. */
  attachments(requestId: number): AttachmentView[];
  /** A signed link to a call's stored recording, or null when there is none. */
  recordingUrl(callId: string): { url: string; durationSec: number | null } | null;
  /** How often the page reminds of requests not yet accepted / not yet reported. */
  remindEveryMin: number;
}

export interface CardSummary {
  id: number; number: string; kind: 'emergency' | 'planned'; stage: { code: string; name: string }; category: string; address: string; flat: string | null;
  description: string; dueAt: string | null; minutesLeft: number | null; late: boolean; postponedUntil: string | null; needsAttention: 'accept' | 'report' | null;
  /** The visit the resident booked online («Визит: 14:00–15:00»), or null. */
  visit: { start: string; end: string } | null;
}

export class ExecutorAppService {
  constructor(private readonly repo: ExecutorAppRepository, private readonly d: ExecutorAppDeps, private readonly clock: Clock) {}

  /** The executor's open requests. */
  list(user: User): { items: CardSummary[]; remindEveryMin: number; at: string } {
    // Stage names per company and kind, looked up once per list (a pipeline is three queries).
    const names = new Map<string, string>();
    const stageName = (c: CardRow) => {
      const k = `${c.tenantId}\n${c.kind}\n${c.stage}`;
      if (!names.has(k)) names.set(k, this.d.requests.stageName(c.tenantId, c.kind, c.stage));
      return names.get(k)!;
    };
    return { items: this.repo.myOpen(user.id).map((c) => this.summary(c, stageName)), remindEveryMin: this.d.remindEveryMin, at: this.clock.now().toISOString() };
  }

  /** One request of the executor's, with everything the card shows; anyone else's is 404. */
  card(user: User, id: number) {
    const c = this.mine(user, id);
    const allowed = new Set(this.d.requests.allowedNext(id).map((x) => x.code));
    const recordings = this.repo.callIds(id)
      .map(({ callId, arrivedAt }) => ({ callId, arrivedAt, rec: this.d.recordingUrl(callId) }))
      .filter((x) => x.rec !== null)
      .map((x) => ({ callId: x.callId, arrivedAt: x.arrivedAt, url: x.rec!.url, durationSec: x.rec!.durationSec }));
    return {
      ...this.summary(c),
      tenant: { id: c.tenantId, name: c.tenantName },
      caller: c.anonymousCaller !== null && !c.callerPhone
        ? { name: c.anonymousCaller, phone: null, anonymous: true }
        : { name: c.callerName, phone: c.callerPhone, anonymous: false },
      result: c.result, reason: c.reason, acceptedAt: c.acceptedAt, doneAt: c.doneAt, createdAt: c.createdAt,
      location: c.lat !== null && c.lon !== null ? { lat: c.lat, lon: c.lon } : null,
      actions: (Object.keys(actionStage) as ActionName[]).filter((a) => possible(a, c.stage, allowed)),
      recordings,
      photos: this.d.attachments(id),
      proposals: this.repo.proposals(id),
    };
  }

  /** An action on the executor's own request: the pipeline's transition, written to history as theirs. */
  act(user: User, id: number, input: ActionInput) {
    const c = this.mine(user, id);
    const to = actionStage[input.action];
    const allowed = new Set(this.d.requests.allowedNext(id).map((x) => x.code));
    if (!possible(input.action, c.stage, allowed)) {
      throw new ApiError(409, 'transition_not_allowed', `«${input.action}» is not possible at stage ${c.stage}`, [{ field: 'action', problem: `not possible at stage ${c.stage}` }]);
    }
    this.d.requests.transition(id, to, { reason: input.reason, until: input.until, result: input.result, comment: input.comment }, user.id);
    return this.card(user, id);
  }

  /** The executor proposes a change to what was ordered; it waits for a dispatcher. */
  propose(user: User, id: number, p: { text: string; items: ProposalItem[] }) {
    const c = this.mine(user, id);
    const at = this.clock.now().toISOString();
    const pid = this.repo.addProposal({ requestId: id, by: user.id, at, text: p.text, items: p.items, stage: c.stage, note: `предложено изменение: ${describeChange(p.text, p.items)}` });
    this.d.requests.announce(id);
    return this.repo.proposal(pid)!;
  }

  /** A request's proposals, for a dispatcher of its company (others get 404). */
  proposalsFor(user: User, id: number): ProposalRow[] {
    this.staffScope(user, id);
    return this.repo.proposals(id);
  }

  /** A dispatcher of the request's company confirms or rejects a pending proposal; written to history. */
  decide(user: User, requestId: number, proposalId: number, decision: 'confirm' | 'reject', comment: string | null): ProposalRow {
    const o = this.staffScope(user, requestId);
    const p = this.repo.proposal(proposalId);
    if (!p || p.requestId !== requestId) throw notFound('proposal');
    if (p.status !== 'pending') throw new ApiError(409, 'already_decided', `the proposal is already ${p.status}`);
    const status = decision === 'confirm' ? 'confirmed' : 'rejected';
    const note = `${status === 'confirmed' ? 'изменение подтверждено' : 'изменение отклонено'}: ${describeChange(p.text, p.items)}${comment ? ` (${comment})` : ''}`;
    if (!this.repo.decide({ id: proposalId, requestId, status, by: user.id, at: this.clock.now().toISOString(), comment, stage: o.stage, note })) {
      throw new ApiError(409, 'already_decided', 'the proposal was decided meanwhile');
    }
    this.d.requests.announce(requestId);
    return this.repo.proposal(proposalId)!;
  }

  /** The executor's own request (assigned to them, in their companies), or 404. */
  mine(user: User, id: number): CardRow {
    const c = this.repo.card(id);
    const inScope = c !== null && (user.tenantIds === null || user.tenantIds.includes(c.tenantId));
    if (!c || !inScope || this.repo.owner(id)?.assigneeId !== user.id) throw notFound('request');
    return c;
  }

  private staffScope(user: User, id: number) {
    const o = this.repo.owner(id);
    if (!o || (user.tenantIds !== null && !user.tenantIds.includes(o.tenantId))) throw notFound('request');
    return o;
  }

  private summary(c: CardRow, stageName = (x: CardRow) => this.d.requests.stageName(x.tenantId, x.kind, x.stage)): CardSummary {
    const now = this.clock.now().getTime();
    const open = !['done', 'impossible'].includes(c.stage);
    const left = c.dueAt ? Math.floor((new Date(c.dueAt).getTime() - now) / 60_000) : null;
    return {
      id: c.id, number: c.number, kind: c.kind, stage: { code: c.stage, name: stageName(c) }, category: c.categoryName,
      address: c.address, flat: c.flat, description: c.description, dueAt: c.dueAt, minutesLeft: left, late: open && left !== null && left < 0, postponedUntil: c.postponedUntil,
      needsAttention: c.stage === 'assigned' || c.stage === 'new' ? 'accept' : c.stage === 'in_work' ? 'report' : null,
      visit: c.visitStart && c.visitEnd ? { start: c.visitStart, end: c.visitEnd } : null,
    };
  }
}

/** «текст; счётчик: заказано 3, нужно 2». */
export function describeChange(text: string, items: ProposalItem[]): string {
  const parts = items.map((i) => `${i.name}: ${[i.ordered !== null ? `заказано ${i.ordered}` : null, i.needed !== null ? `нужно ${i.needed}` : null].filter(Boolean).join(', ')}`);
  return [text, ...parts].filter(Boolean).join('; ');
}
