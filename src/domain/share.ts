// A share of something met out of what counts (calls answered within 5
// minutes, callbacks in time, requests on time, the service level): the
// counts behind it and the percentage with one decimal, null when nothing
// counts. One definition for the wallboard, the commitments and the reports.

export interface Share {
  met: number;
  of: number;
  /** met / of in %, one decimal; null when `of` is 0. */
  pct: number | null;
}

/** One decimal. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** part / whole in %, one decimal (integer arithmetic up to the one division); null when `whole` is 0. */
export function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

export function share(met: number, of: number): Share {
  return { met, of, pct: pct(met, of) };
}
