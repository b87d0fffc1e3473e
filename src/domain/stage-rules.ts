// Stage rules (the seeds' "robots"): what happens on entering a stage, as
// data per pipeline stage. `require` is checked before a transition commits;
// every other rule runs after the commit and may fail without undoing it.
import { z } from 'zod';

export const requirableFields = ['result', 'reason', 'until', 'comment', 'assignee'] as const;
export type RequirableField = (typeof requirableFields)[number];

export const stageRule = z.discriminatedUnion('type', [
  // building-default: the building's default executor; auto: the choice of src/domain/assignment.ts.
  z.object({ type: z.literal('assign'), to: z.enum(['building-default', 'auto']) }).strict(),
  z.object({ type: z.literal('notify'), to: z.enum(['assignee', 'supervisors', 'creator']) }).strict(),
  z.object({ type: z.literal('remind'), everyMinutes: z.number().int().min(1).max(10080), escalateAfterMinutes: z.number().int().min(0).max(100000) }).strict(),
  z.object({ type: z.literal('require'), fields: z.array(z.enum(requirableFields)).min(1) }).strict(),
  z.object({ type: z.literal('document') }).strict(),
  // A document to the resident from the company's document template (issue 14, item 7): made on entering the
  // stage and sent through the request's channel, or kept for a supervisor's approval when the template or the
  // company asks for it (supervisors are notified).
  z.object({ type: z.literal('reply-document'), templateId: z.number().int().positive() }).strict(),
]);
export type StageRule = z.infer<typeof stageRule>;
export const stageRules = z.array(stageRule).max(20);

/** Parses stored rules; a broken row yields no rules rather than a crash (validated on write). */
export function readRules(json: string): StageRule[] {
  try {
    const r = stageRules.safeParse(JSON.parse(json));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
}

export function requiredFields(rules: StageRule[]): RequirableField[] {
  return [...new Set(rules.flatMap((r) => (r.type === 'require' ? r.fields : [])))];
}
