// A request form's answer to a 400: each problem under its own field, the rest
// after the lead sentence in the form's summary.
import type { FieldProblem } from '../lib/api.ts';

export function showFieldProblems(
  errors: Map<string, HTMLElement>,
  summary: HTMLElement,
  lead: string,
  problems: FieldProblem[],
  textOf: (x: FieldProblem) => string,
): void {
  for (const e of errors.values()) e.hidden = true;
  const loose: string[] = [];
  for (const x of problems) {
    const text = textOf(x);
    const e = errors.get(x.field);
    if (e) {
      e.textContent = text;
      e.hidden = false;
    } else loose.push(text);
  }
  summary.textContent = [lead, ...loose].join(' ');
  summary.hidden = false;
}
