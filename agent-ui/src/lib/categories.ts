// Categories in the request forms: which fit a kind ('both' fits either), and
// how a subcategory reads under its parent in a list.
import type { TicketCategory } from './types.ts';

export const fitsKind = (c: TicketCategory, kind: string): boolean => c.kind === 'both' || c.kind === kind;

/** «— Застревание в лифте» for a subcategory (the server lists it right after its parent). */
export const categoryLabel = (c: TicketCategory): string => (c.parentId !== null ? `— ${c.name}` : c.name);
