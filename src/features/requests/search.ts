// Search input → FTS5 query: every word must match as a prefix. Words are
// normalised like the directory's keys (lowercase, ё → е, no punctuation);
// for addresses the street type and house/flat marker words are dropped.
import { textKey } from '../directory/keys.js';

const addressNoise = new Set([
  'ул', 'улица', 'пр', 'пр-т', 'пр-кт', 'просп', 'проспект', 'пер', 'переулок', 'б-р', 'бул', 'бульвар', 'ш', 'шоссе', 'пл', 'площадь',
  'наб', 'набережная', 'проезд', 'мкр', 'г', 'город', 'д', 'дом', 'кв', 'квартира', 'корп', 'корпус', 'к', 'стр', 'строение',
]);

export function ftsQuery(input: string, kind: 'text' | 'address'): string | null {
  const words = textKey(input).split(' ').filter((w) => w && !(kind === 'address' && addressNoise.has(w)));
  return words.length ? words.slice(0, 12).map((w) => `"${w}"*`).join(' ') : null;
}
