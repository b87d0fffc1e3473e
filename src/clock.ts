// Time behind an interface so tests can drive it.
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export const iso = (d: Date): string => d.toISOString();
export const secondsBetween = (a: string | Date, b: string | Date): number =>
  (new Date(b).getTime() - new Date(a).getTime()) / 1000;
