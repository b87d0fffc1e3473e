// Normalised search keys for names and addresses, and the parsing of an
// address as an operator types it («ул. Ленина, д. 5, кв. 12», «ленина 5-12»).
// Keys are lowercase, ё → е, punctuation → single spaces; street type words
// («ул.», «проспект», «пер.») are dropped so «Ленина ул» = «ул. Ленина».

const plainWords = /^[а-яa-z0-9]+(?: [а-яa-z0-9]+)*$/;

/** Lowercase, ё → е, anything but letters and digits → one space. */
export function textKey(s: string | null | undefined): string {
  if (!s) return '';
  // Most names are already plain words: lowercase them and stop (the general path gives the same).
  const lower = s.toLowerCase();
  if (plainWords.test(lower)) return lower;
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Street type words and abbreviations, as tokens (after lowercasing, ё → е). */
const streetTypes = new Set([
  'ул', 'улица', 'пр', 'пр-т', 'пр-кт', 'просп', 'проспект', 'пер', 'переулок', 'б-р', 'бул', 'бульв', 'бульвар',
  'ш', 'шоссе', 'пл', 'площадь', 'наб', 'набережная', 'проезд', 'пр-д', 'туп', 'тупик', 'мкр', 'мкрн', 'микрорайон',
  'кв-л', 'квартал', 'аллея', 'ал', 'им', 'имени', 'тракт', 'пос', 'поселок', 'г', 'город',
]);
const houseMarkers = new Set(['д', 'дом']);
const blockMarkers = new Set(['к', 'корп', 'корпус', 'стр', 'строение', 'лит', 'литер', 'литера']);
const flatMarkers = new Set(['кв', 'квартира', 'кв-ра', 'оф', 'офис', 'ком', 'комната', 'пом', 'помещение']);

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[\s,.;:«»"'()]+/u)
    .filter((t) => t.length > 0);
}

/** «ул. Ленина» → «ленина»; «проспект Победы» → «победы»; «8 Марта ул» → «8 марта». */
export function streetKey(street: string): string {
  return textKey(tokens(street).filter((t) => !streetTypes.has(t)).join(' '));
}

/** «5», «12 А», «д. 7/2» with block «2» → «5», «12а», «7/2к2». */
export function houseKey(house: string, block?: string | null): string {
  const h = tokens(house).filter((t) => !houseMarkers.has(t)).join('');
  const b = block ? tokens(block).filter((t) => !blockMarkers.has(t)).join('') : '';
  return b ? `${h}к${b}` : h;
}

export function flatKey(flat: string | null | undefined): string {
  return flat ? tokens(flat).filter((t) => !flatMarkers.has(t)).join('') : '';
}

/** The leading number of a house or flat («12а» → 12), 0 when there is none. */
export function leadingNumber(s: string): number {
  const m = /^\d+/.exec(s);
  return m ? Math.min(Number(m[0]), 2_000_000_000) : 0;
}

/** How the building is shown: «г. Вологда, ул. Ленина, д. 5, корп. 2». */
export function formatAddress(b: { city?: string | null; street: string; house: string; block?: string | null }): string {
  const parts: string[] = [];
  if (b.city) parts.push(/^(г|пгт|пос|с|д)\.?\s/iu.test(b.city) ? b.city : `г. ${b.city}`);
  parts.push(b.street);
  parts.push(/^д(ом)?\.?\s/iu.test(b.house) ? b.house : `д. ${b.house}`);
  if (b.block) parts.push(/^(к|корп|стр)/iu.test(b.block) ? b.block : `корп. ${b.block}`);
  return parts.join(', ');
}

export interface AddressQuery {
  /** Street key prefix, e.g. «ленина». */
  street: string;
  /** House key as typed («5», «12а», «7/2»); absent = every house on the street. */
  house?: string;
  block?: string;
  /** Flat key; absent = every flat. */
  flat?: string;
  /** The query had explicit address words («ул.», «д.», «кв.»): it is certainly an address. */
  explicit: boolean;
}

const startsWithDigit = (t: string) => /^\d/.test(t);
const isWord = (t: string) => /^\p{L}/u.test(t);

/**
 * Parses what an operator types as an address; null when there is no street.
 * «ленина 5», «ул. Ленина, д. 5, кв. 12», «Ленина 5-12», «ленина 5 к2 кв 3»,
 * «8 марта 14», «1-я линия 5 12».
 */
export function parseAddressQuery(q: string): AddressQuery | null {
  const ts = tokens(q);
  const street: string[] = [];
  let house: string | undefined;
  let block: string | undefined;
  let flat: string | undefined;
  let explicit = false;
  let expect: 'house' | 'block' | 'flat' | null = null;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (streetTypes.has(t)) { explicit = true; continue; }
    if (houseMarkers.has(t)) { explicit = true; expect = 'house'; continue; }
    if (blockMarkers.has(t) && house !== undefined) { explicit = true; expect = 'block'; continue; }
    if (flatMarkers.has(t)) { explicit = true; expect = 'flat'; continue; }
    // «5к2», «к2»
    const glued = /^(\d+[\p{L}]?(?:\/\d+)?)(?:к|корп)(\d+)$/u.exec(t);
    const markerGlued = /^(д|дом|к|корп|кв|стр)(\d+[\p{L}]?(?:\/\d+)?)$/u.exec(t);
    if (markerGlued && street.length > 0 && (markerGlued[1] === 'д' || markerGlued[1] === 'дом')) {
      // «д5», «д.5» (the dot is a separator already)
      ts.splice(i + 1, 0, markerGlued[2]!);
      explicit = true;
      expect = 'house';
      continue;
    }
    if (expect === 'house' || (house === undefined && startsWithDigit(t) && street.length > 0 && !(i + 1 < ts.length && isWord(ts[i + 1]!) && !isMarker(ts[i + 1]!)))) {
      const dash = /^(\d+[\p{L}]?(?:\/\d+)?)-(\d+[\p{L}]?)$/u.exec(t);
      if (glued) { house = glued[1]; block = glued[2]; }
      else if (dash) { house = dash[1]; flat = dash[2]; }
      else house = t;
      expect = null;
      continue;
    }
    if (expect === 'block') { block = t; expect = null; continue; }
    if (expect === 'flat') { flat = t; expect = null; continue; }
    if (house !== undefined && markerGlued) {
      if (markerGlued[1] === 'кв') flat = markerGlued[2];
      else block = markerGlued[2];
      continue;
    }
    if (house !== undefined && startsWithDigit(t)) {
      if (flat === undefined) flat = t.replace(/-/g, '');
      continue;
    }
    if (house === undefined) street.push(t);
  }
  const key = streetKey(street.join(' '));
  if (!/\p{L}/u.test(key)) return null;
  const out: AddressQuery = { street: key, explicit };
  if (house) out.house = houseKey(house);
  if (block) out.block = block;
  if (flat) out.flat = flatKey(flat);
  return out;
}

function isMarker(t: string): boolean {
  return houseMarkers.has(t) || blockMarkers.has(t) || flatMarkers.has(t);
}
