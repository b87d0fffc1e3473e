// The per-line entry menu («аварийная — 1, плановая — 2») as pure rules:
// what a valid menu is, and what the caller's key (or silence) leads to.
// The ARI side (features/routing/entry-menu.ts) plays the prompt and
// carries out the steps.

export interface EntryMenuOption {
  digit: string;
  lineId: number;
}

export interface EntryMenu {
  /** Sound names played in turn (Asterisk `sound:` media, without the prefix). */
  prompt: string[];
  /** Seconds to wait for a key after the prompt. */
  timeoutSec: number;
  options: EntryMenuOption[];
}

/** Tries (prompt + wait) before the caller stays on the menu's own line. */
export const ENTRY_MENU_TRIES = 2;

/** The prompt a menu plays when none is given (scripts/asterisk/prompts.sh makes it). */
export const DEFAULT_ENTRY_PROMPT = ['pult/entry-menu'];

export interface MenuProblem {
  field: string;
  problem: string;
}

/**
 * What is wrong with a menu for a line (empty: nothing): keys 0-9, each
 * once; every target line must exist and belong to the menu line's company.
 */
export function entryMenuProblems(menu: EntryMenu, own: { id: number; tenantId: number | null }, lineOf: (id: number) => { tenantId: number | null } | null): MenuProblem[] {
  const problems: MenuProblem[] = [];
  const seen = new Set<string>();
  menu.options.forEach((o, i) => {
    if (!/^[0-9]$/.test(o.digit)) problems.push({ field: `options.${i}.digit`, problem: 'one key, 0-9' });
    else if (seen.has(o.digit)) problems.push({ field: `options.${i}.digit`, problem: `key ${o.digit} is used twice` });
    seen.add(o.digit);
    const target = lineOf(o.lineId);
    if (!target) problems.push({ field: `options.${i}.lineId`, problem: 'no such line' });
    else if (target.tenantId !== own.tenantId) problems.push({ field: `options.${i}.lineId`, problem: "not a line of this line's company" });
  });
  if (menu.options.length === 0) problems.push({ field: 'options', problem: 'at least one key' });
  return problems;
}

export type MenuInput = { kind: 'digit'; digit: string } | { kind: 'timeout' };

export type MenuStep =
  /** The caller chose: the call goes to this line. */
  | { kind: 'route'; lineId: number; digit: string }
  /** No valid key yet: play the prompt again (try `tries` + 1). */
  | { kind: 'replay'; tries: number }
  /** Out of tries: the call stays on the menu's own line. */
  | { kind: 'default' };

/** One step of the menu: `tries` is how many tries (prompt + wait) have run, counting this one. */
export function entryMenuStep(menu: EntryMenu, tries: number, input: MenuInput): MenuStep {
  if (input.kind === 'digit') {
    const option = menu.options.find((o) => o.digit === input.digit);
    if (option) return { kind: 'route', lineId: option.lineId, digit: option.digit };
  }
  return tries >= ENTRY_MENU_TRIES ? { kind: 'default' } : { kind: 'replay', tries: tries + 1 };
}
