// A request's pipeline: stages, allowed transitions and the check of one
// transition. Pure; the stored pipeline of a company is passed in.
import { requiredFields, type RequirableField, type StageRule } from './stage-rules.js';

export interface StageDef { code: string; name: string; position: number; closes: boolean; rules: StageRule[] }
export interface PipelineDef { stages: StageDef[]; transitions: [string, string][] }

export type RequestKind = 'emergency' | 'planned';

/** The seeds' pipeline, the same for emergency and planned (a company may change either). */
export function defaultPipeline(kind: RequestKind): PipelineDef {
  const emergency = kind === 'emergency';
  const stages: StageDef[] = [
    { code: 'new', name: 'Новая', position: 1, closes: false, rules: [{ type: 'assign', to: 'building-default' }, { type: 'remind', everyMinutes: emergency ? 15 : 240, escalateAfterMinutes: emergency ? 30 : 1440 }] },
    { code: 'assigned', name: 'Передана исполнителю', position: 2, closes: false, rules: [{ type: 'require', fields: ['assignee'] }, { type: 'notify', to: 'assignee' }, { type: 'document' }] },
    { code: 'in_work', name: 'Принята в работу', position: 3, closes: false, rules: [] },
    { code: 'done', name: 'Выполнена', position: 4, closes: false, rules: [{ type: 'require', fields: ['result'] }] },
    { code: 'closed', name: 'Закрыта', position: 5, closes: true, rules: [] },
    { code: 'postponed', name: 'Отложена', position: 6, closes: false, rules: [{ type: 'require', fields: ['until', 'reason'] }] },
    { code: 'impossible', name: 'Невозможно выполнить', position: 7, closes: false, rules: [{ type: 'require', fields: ['reason'] }, { type: 'notify', to: 'supervisors' }] },
    { code: 'cancelled', name: 'Отменена', position: 8, closes: true, rules: [{ type: 'require', fields: ['reason'] }] },
  ];
  const t = (from: string, ...to: string[]) => to.map((x) => [from, x] as [string, string]);
  return {
    stages,
    transitions: [
      ...t('new', 'assigned', 'in_work', 'postponed', 'impossible', 'cancelled'),
      ...t('assigned', 'in_work', 'new', 'postponed', 'impossible', 'cancelled'),
      ...t('in_work', 'done', 'postponed', 'impossible', 'cancelled'),
      ...t('postponed', 'new', 'assigned', 'in_work', 'cancelled'),
      ...t('done', 'closed', 'in_work'),
      ...t('impossible', 'closed', 'new'),
    ],
  };
}

export interface TransitionInput { result?: string | null; reason?: string | null; until?: string | null; comment?: string | null; assigneeId?: number | null }
export interface TransitionProblem { field: string; problem: string }

/** Stage codes reachable from `from` in this pipeline. */
export function allowedNext(p: PipelineDef, from: string): string[] {
  return p.transitions.filter(([f]) => f === from).map(([, to]) => to);
}

const fieldValue = (f: RequirableField, i: TransitionInput): unknown =>
  f === 'assignee' ? i.assigneeId : f === 'until' ? i.until : i[f];

const fieldProblem: Record<RequirableField, string> = {
  result: 'укажите результат выполнения',
  reason: 'укажите причину',
  until: 'укажите, до какой даты отложена',
  comment: 'нужен комментарий',
  assignee: 'назначьте исполнителя',
};

/** Every problem with moving a request from `from` to `to` with this input; empty = allowed. */
export function checkTransition(p: PipelineDef, from: string, to: string, input: TransitionInput, now: Date): TransitionProblem[] {
  const target = p.stages.find((s) => s.code === to);
  if (!target) return [{ field: 'to', problem: `no stage ${to} in this pipeline` }];
  if (!p.transitions.some(([f, t]) => f === from && t === to)) return [{ field: 'to', problem: `transition ${from} → ${to} is not allowed (allowed: ${allowedNext(p, from).join(', ') || 'none'})` }];
  const problems: TransitionProblem[] = [];
  for (const f of requiredFields(target.rules)) {
    const v = fieldValue(f, input);
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) problems.push({ field: f === 'assignee' ? 'assigneeId' : f, problem: fieldProblem[f] });
  }
  if (input.until) {
    const u = new Date(input.until);
    if (Number.isNaN(u.getTime())) problems.push({ field: 'until', problem: 'not a date' });
    else if (u.getTime() <= now.getTime()) problems.push({ field: 'until', problem: 'must be in the future' });
  }
  return problems;
}

/** When the kind changes, the request keeps its stage if the other pipeline has it, else starts at its first stage. */
export function matchingStage(target: PipelineDef, code: string): string {
  if (target.stages.some((s) => s.code === code)) return code;
  return [...target.stages].sort((a, b) => a.position - b.position)[0]!.code;
}
