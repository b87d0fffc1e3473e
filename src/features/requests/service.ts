// The life of a request: transitions validated against the company's
// pipeline and written to history; stage rules after the commit (a failing
// rule is stored on the request, the transition stays); deadlines from the
// category's calendar rule; reminders to the holder, then the supervisors.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { checkTransition, allowedNext, matchingStage, type PipelineDef, type RequestKind, type TransitionInput } from '../../domain/request-pipeline.js';
import { countdown, dueAt, ruleOf } from '../../domain/deadline.js';
import type { StageRule } from '../../domain/stage-rules.js';
import { ApiError } from '../../http/errors.js';
import type { RequestRepository, RequestState } from './repository.js';
import type { ChangedEvent, ListFilter, MonitorFilter, MonitorSnapshot, NotifyEvent, ReminderEvent } from './types.js';

/** Where the service's events go (socket.io rooms in the app, a recorder in tests). */
export interface RequestNotifier {
  toUser(userId: number, event: 'request.reminder', e: ReminderEvent): void;
  toUser(userId: number, event: 'request.notify', e: NotifyEvent): void;
  toSupervisors(tenantId: number, event: 'request.reminder', e: ReminderEvent): void;
  toSupervisors(tenantId: number, event: 'request.notify', e: NotifyEvent): void;
  changed(e: ChangedEvent): void;
}

export const DUE_SOON_MINUTES = 60;

export class RequestService {
  /** The executors feature's automatic choice, for {type:'assign', to:'auto'}; throws when nobody can be assigned. */
  autoAssigner: ((id: number, stage: string) => void) | null = null;
  /** The request documents feature, for {type:'document'}: renders and stores the «Заявка»; without it only the marker is stored. */
  documentMaker: ((id: number, stage: string, by: number) => Promise<void>) | null = null;
  /** The replies feature, for {type:'reply-document'}: a document to the resident from a template, sent or kept for approval. */
  replyDocumentMaker: ((id: number, templateId: number, by: number) => Promise<void>) | null = null;
  /** Rules still running after their transition committed (document generation), per request. */
  private readonly inflight = new Map<number, Set<Promise<void>>>();

  constructor(
    private readonly repo: RequestRepository,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly notifier: RequestNotifier,
    private readonly logger: Logger,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  pipeline(tenantId: number, kind: RequestKind): PipelineDef & { id: number } {
    return this.repo.pipeline(tenantId, kind);
  }

  savePipeline(tenantId: number, kind: RequestKind, p: PipelineDef): PipelineDef & { id: number } {
    const codes = new Set(p.stages.map((s) => s.code));
    const problems = [
      ...(!codes.has('new') ? [{ field: 'stages', problem: 'a pipeline needs the stage "new" (where requests start)' }] : []),
      ...p.transitions.filter(([f, t]) => !codes.has(f) || !codes.has(t)).map(([f, t]) => ({ field: 'transitions', problem: `${f} → ${t} names an unknown stage` })),
      ...(codes.size !== p.stages.length ? [{ field: 'stages', problem: 'stage codes must be unique' }] : []),
    ];
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((x) => x.problem).join('; '), problems);
    const stranded = this.repo.openStagesOutside(tenantId, kind, [...codes]);
    if (stranded.length) throw new ApiError(409, 'stage_in_use', `open requests are at stages ${stranded.join(', ')}: move them first`, stranded.map((c) => ({ field: 'stages', problem: `stage ${c} has open requests` })));
    this.repo.savePipeline(tenantId, kind, p);
    return this.repo.pipeline(tenantId, kind);
  }

  /** The due instant for a request of this category received at `at` (null: no deadline). */
  dueFor(categoryId: number, at: Date): string | null {
    const d = this.repo.categoryDeadline(categoryId);
    const rule = d ? ruleOf(d.rule, d.minutes) : null;
    return rule ? dueAt(at, rule, this.timeZone).toISOString() : null;
  }

  /** After a request is registered: its channel, due time, the entry into the first stage and its rules. */
  started(id: number, by: number, channel: string): void {
    const s = this.mustState(id);
    const now = this.clock.now();
    this.repo.setChannel(id, channel);
    this.repo.setDue(id, this.dueFor(s.categoryId, new Date(this.repo.createdAt(id))));
    const p = this.repo.pipeline(s.tenantId, s.kind);
    this.repo.moveStage(id, { from: null, to: s.stage, closes: false, at: now.toISOString(), by, comment: null });
    this.runRules(id, p.stages.find((x) => x.code === s.stage)?.rules ?? [], s.stage, by);
  }

  /** Validates and commits a transition, then runs the target stage's rules. */
  transition(id: number, to: string, input: TransitionInput, by: number): void {
    const s = this.mustState(id);
    const now = this.clock.now();
    const p = this.repo.pipeline(s.tenantId, s.kind);
    if (input.assigneeId != null && !this.repo.userInTenant(input.assigneeId, s.tenantId)) throw new ApiError(400, 'invalid_input', 'assignee does not work for this company', [{ field: 'assigneeId', problem: 'no such user in this company' }]);
    const withHolder = { ...input, assigneeId: input.assigneeId ?? s.assigneeId };
    const problems = checkTransition(p, s.stage, to, withHolder, now);
    if (problems.length) throw new ApiError(problems.some((x) => x.field === 'to') ? 409 : 400, problems.some((x) => x.field === 'to') ? 'transition_not_allowed' : 'invalid_input', problems.map((x) => `${x.field}: ${x.problem}`).join('; '), problems);
    const target = p.stages.find((x) => x.code === to)!;
    this.repo.moveStage(id, {
      from: s.stage, to, closes: target.closes, at: now.toISOString(), by, comment: input.comment?.trim() || null,
      result: input.result?.trim() || null, reason: input.reason?.trim() || null, until: to === 'postponed' ? new Date(input.until!).toISOString() : null, assigneeId: input.assigneeId ?? null,
    });
    this.notifier.changed({ requestId: id, tenantId: s.tenantId, stage: to, status: target.closes ? 'closed' : 'open', at: now.toISOString() });
    this.runRules(id, target.rules, to, by);
  }

  /** Edits a request's fields (validated by the route); a kind change moves it to the other pipeline. */
  edit(id: number, patch: Parameters<RequestRepository['edit']>[1] & { kind?: RequestKind }, by: number): void {
    const s = this.mustState(id);
    const { kind, ...fields } = patch;
    const at = this.clock.now().toISOString();
    if (fields.categoryId !== undefined && fields.categoryId !== s.categoryId) fields.dueAt = this.dueFor(fields.categoryId, new Date(this.repo.createdAt(id)));
    this.repo.edit(id, fields, at);
    if (fields.assigneeId !== undefined && fields.assigneeId !== s.assigneeId) this.repo.recordAssignment(id, { at, by, stage: s.stage, assigneeId: fields.assigneeId });
    this.repo.addComment(id, { at, by, kind: 'edit', text: `изменено: ${Object.keys(patch).join(', ')}`, callId: null });
    if (kind) this.changeKind(id, kind, by);
    const after = this.mustState(id);
    this.notifier.changed({ requestId: id, tenantId: after.tenantId, stage: after.stage, status: after.status, at });
  }

  /** A comment, or «Дополнить» (kind append): what a caller adds during a call, with the call linked. */
  comment(id: number, kind: 'comment' | 'append', text: string, by: number, callId: string | null = null): void {
    const s = this.mustState(id);
    if (kind === 'append' && s.status !== 'open') throw new ApiError(409, 'request_closed', 'the request is closed: register a new one');
    const at = this.clock.now().toISOString();
    this.repo.addComment(id, { at, by, kind, text, callId });
    this.notifier.changed({ requestId: id, tenantId: s.tenantId, stage: s.stage, status: s.status, at });
  }

  /** Tells the request's company something changed on it (another feature wrote to it, e.g. a change proposal). */
  announce(id: number): void {
    const s = this.mustState(id);
    this.notifier.changed({ requestId: id, tenantId: s.tenantId, stage: s.stage, status: s.status, at: this.clock.now().toISOString() });
  }

  /** Closes from any stage (the older POST /api/tickets/:id/close); written to history. */
  forceClose(id: number, by: number): void {
    const s = this.mustState(id);
    if (s.status === 'closed') return;
    const now = this.clock.now().toISOString();
    this.repo.moveStage(id, { from: s.stage, to: 'closed', closes: true, at: now, by, comment: 'закрыта без прохождения этапов' });
    this.notifier.changed({ requestId: id, tenantId: s.tenantId, stage: 'closed', status: 'closed', at: now });
  }

  /**
   * Reopens a closed request (a resident's low rating, «Остались вопросы»):
   * back to the pipeline's first stage with the comment in its history, the
   * holder kept; the stage's rules run except assignment (it has its executor).
   */
  reopen(id: number, comment: string, by: number): void {
    const s = this.mustState(id);
    if (s.status !== 'closed') throw new ApiError(409, 'not_closed', 'the request is not closed');
    const p = this.repo.pipeline(s.tenantId, s.kind);
    const target = p.stages.find((x) => x.code === 'new' && !x.closes) ?? [...p.stages].sort((a, b) => a.position - b.position).find((x) => !x.closes);
    if (!target) throw new ApiError(409, 'no_open_stage', 'the pipeline has no open stage to reopen the request to');
    const at = this.clock.now().toISOString();
    this.repo.moveStage(id, { from: s.stage, to: target.code, closes: false, at, by, comment });
    this.notifier.changed({ requestId: id, tenantId: s.tenantId, stage: target.code, status: 'open', at });
    this.runRules(id, target.rules.filter((r) => r.type !== 'assign'), target.code, by);
  }

  /** Kind change: the request moves to the other pipeline at the matching stage. */
  changeKind(id: number, kind: RequestKind, by: number): void {
    const s = this.mustState(id);
    if (s.kind === kind) return;
    const target = this.repo.pipeline(s.tenantId, kind);
    const stage = matchingStage(target, s.stage);
    const st = target.stages.find((x) => x.code === stage)!;
    const now = this.clock.now().toISOString();
    this.repo.moveStage(id, { from: s.stage, to: stage, closes: st.closes, at: now, by, comment: `вид заявки: ${s.kind} → ${kind}`, kind, assigneeId: null, result: null, reason: null, until: s.postponedUntil });
  }

  allowedNext(id: number): { code: string; name: string }[] {
    const s = this.mustState(id);
    const p = this.repo.pipeline(s.tenantId, s.kind);
    return allowedNext(p, s.stage).map((c) => ({ code: c, name: p.stages.find((x) => x.code === c)?.name ?? c }));
  }

  stageName(tenantId: number, kind: RequestKind, code: string): string {
    return this.repo.pipeline(tenantId, kind).stages.find((x) => x.code === code)?.name ?? code;
  }

  /** Runs after-commit rules; each failure is logged and stored on the request. */
  private runRules(id: number, rules: StageRule[], stage: string, by: number): void {
    for (const rule of rules) {
      if (rule.type === 'require') continue;
      try {
        this.runRule(id, rule, stage, by);
      } catch (err) {
        this.ruleFailed(id, rule, stage, err);
      }
    }
  }

  private ruleFailed(id: number, rule: StageRule, stage: string, err: unknown): void {
    const error = (err as Error).message;
    this.logger.warn('stage rule failed', { requestId: id, stage, rule: rule.type, error });
    this.repo.addRuleError(id, { at: this.clock.now().toISOString(), stage, rule: JSON.stringify(rule), error });
  }

  /** Resolves once the rules still running for a request (document generation) have finished. */
  async settled(id: number): Promise<void> {
    const running = this.inflight.get(id);
    if (running) await Promise.all([...running]);
  }

  /** Resolves once every rule still running (document generation) has finished: before the database closes. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()].flatMap((set) => [...set]));
  }

  private track(id: number, work: Promise<void>): void {
    let set = this.inflight.get(id);
    if (!set) this.inflight.set(id, (set = new Set()));
    const p: Promise<void> = work.finally(() => {
      set.delete(p);
      if (set.size === 0) this.inflight.delete(id);
    });
    set.add(p);
  }

  private runRule(id: number, rule: Exclude<StageRule, { type: 'require' }>, stage: string, by: number): void {
    const s = this.mustState(id);
    const now = this.clock.now();
    const at = now.toISOString();
    switch (rule.type) {
      case 'assign': {
        if (rule.to === 'auto') {
          if (!this.autoAssigner) throw new Error('automatic assignment is not available');
          return this.autoAssigner(id, stage);
        }
        if (s.buildingId === null) throw new Error('no building: cannot assign the default executor');
        const exec = this.repo.buildingDefaultExecutor(s.buildingId);
        if (exec === null) throw new Error('the building has no default executor');
        this.repo.setAssignee(id, exec);
        this.notifier.toUser(exec, 'request.notify', { requestId: id, number: s.number, tenantId: s.tenantId, stage, reason: 'assigned', at });
        return;
      }
      case 'notify': {
        const e: NotifyEvent = { requestId: id, number: s.number, tenantId: s.tenantId, stage, reason: 'stage', at };
        if (rule.to === 'supervisors') return this.notifier.toSupervisors(s.tenantId, 'request.notify', e);
        const user = rule.to === 'assignee' ? s.assigneeId : s.createdBy;
        if (user === null) throw new Error('no assignee to notify');
        return this.notifier.toUser(user, 'request.notify', e);
      }
      case 'remind':
        this.repo.startReminders(id, rule.everyMinutes, rule.escalateAfterMinutes, at, new Date(now.getTime() + rule.everyMinutes * 60_000).toISOString());
        return;
      case 'document':
        // Pending until the document is stored (or for good, without the documents feature).
        this.repo.markDocumentPending(id);
        if (this.documentMaker) this.track(id, this.documentMaker(id, stage, by).catch((err: unknown) => this.ruleFailed(id, rule, stage, err)));
        return;
      case 'reply-document':
        if (!this.replyDocumentMaker) throw new Error('documents to residents are not available');
        this.track(id, this.replyDocumentMaker(id, rule.templateId, by).catch((err: unknown) => this.ruleFailed(id, rule, stage, err)));
        return;
    }
  }

  /**
   * Sends the reminders due at `now` (the node-cron job calls it every minute).
   * Slot n is the n-th period since the reminders started; each slot goes once,
   * to whoever holds the request, or to the company's supervisors once
   * `escalateAfterMinutes` have passed. Closed requests get none.
   */
  remindDue(now: Date, batch = 500): number {
    let sent = 0;
    for (const s of this.repo.dueForReminder(now.toISOString(), batch)) {
      const every = s.remindEveryMin!;
      const since = new Date(s.remindSince!).getTime();
      const slot = Math.max(1, Math.floor((now.getTime() - since) / (every * 60_000)));
      const next = new Date(since + (slot + 1) * every * 60_000).toISOString();
      // Nobody who can log in holds it (a request from the web form or e-mail, registered by the
      // channel's system user, not yet assigned): its reminders go to the supervisors from the start.
      const escalated = now.getTime() - since >= (s.remindEscalateMin ?? Infinity) * 60_000 || s.holderActive !== 1;
      const holder = s.assigneeId ?? s.createdBy;
      const target = escalated ? `supervisors:${s.tenantId}` : `user:${holder}`;
      if (!this.repo.recordReminder(s.id, slot, now.toISOString(), target, next)) continue;
      const e: ReminderEvent = { requestId: s.id, number: s.number, tenantId: s.tenantId, stage: s.stage, dueAt: s.dueAt, late: countdown(s.dueAt, false, now).late, slot, escalated, at: now.toISOString() };
      this.notifier.toUser(holder, 'request.reminder', e);
      if (escalated) this.notifier.toSupervisors(s.tenantId, 'request.reminder', e);
      sent++;
    }
    return sent;
  }

  list(f: ListFilter) {
    const now = this.clock.now();
    const rows = this.repo.rows(this.repo.listIds(f, now.toISOString()));
    const names = new Map<string, string>();
    const stageName = (t: number, k: RequestKind, c: string) => {
      const key = `${t}|${k}|${c}`;
      let n = names.get(key);
      if (n === undefined) names.set(key, (n = this.stageName(t, k, c)));
      return n;
    };
    const items = rows.map((r) => ({ ...r, stageName: stageName(r.tenantId, r.kind, r.stage), ...countdown(r.dueAt, r.status === 'closed', now, DUE_SOON_MINUTES) }));
    const last = rows.at(-1);
    return { items, next: rows.length === f.limit && last ? `${last.createdAt}|${last.id}` : null };
  }

  monitor(f: MonitorFilter): MonitorSnapshot {
    const now = this.clock.now();
    const counts = this.repo.monitor(f, now.toISOString(), new Date(now.getTime() + DUE_SOON_MINUTES * 60_000).toISOString());
    return { at: now.toISOString(), ...counts, byStage: this.repo.stageCounts(f) };
  }

  private mustState(id: number): RequestState {
    const s = this.repo.state(id);
    if (!s) throw new ApiError(404, 'not_found', 'request not found');
    return s;
  }
}
