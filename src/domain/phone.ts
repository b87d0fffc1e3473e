// Russian phone numbers as people write them: +7 (916) 123-45-67,
// 8 916 123 45 67, 79161234567, 9161234567. Normalised to 11 digits
// starting with 7 when it is a Russian number; other numbers keep their digits.
// An extension («доб. 123», «ext 5», «#5») is not part of the number.
export function normalizePhone(input: string | null | undefined): string | null {
  if (!input) return null;
  const trimmed = input.trim().replace(/\s*(доб\.?|ext\.?|вн\.?|#).*$/iu, '');
  let digits = trimmed.replace(/\D/g, '');
  if (digits.length === 0) return null;
  // International prefixes dialled from Russia: 8 10 7…, 00 7…
  if (digits.length === 14 && digits.startsWith('8107')) digits = digits.slice(3);
  else if (digits.length === 13 && digits.startsWith('007')) digits = digits.slice(2);
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) return '7' + digits.slice(1);
  if (digits.length === 10 && /^[3489]/.test(digits)) return '7' + digits;
  return digits;
}

/** True when text looks like (part of) a phone number: digits with the usual punctuation. */
export function isPhoneLike(input: string): boolean {
  return /^\+?[\d\s()\-.]+$/.test(input.trim()) && /\d/.test(input);
}

/**
 * What a partially typed number can be a prefix of, in normalised form:
 * «8916123» → 7916123, «+7 (916» → 7916, «916 12» → 7916 12. Also the plain
 * digits when the number may be stored as-is (not Russian-looking).
 */
export function phonePrefixKeys(input: string): string[] {
  const t = input.trim();
  const digits = t.replace(/\D/g, '');
  if (digits.length === 0) return [];
  const keys = new Set<string>();
  if (t.startsWith('+')) {
    keys.add(digits);
  } else if (digits.startsWith('8') && digits.length <= 11) {
    keys.add('7' + digits.slice(1));
  } else if (digits.startsWith('7') && digits.length <= 11) {
    keys.add(digits);
  } else if (/^[349]/.test(digits) && digits.length <= 10) {
    keys.add('7' + digits);
  } else {
    keys.add(digits);
  }
  return [...keys].filter((k) => k.length > 1);
}

/** The key for searching by the last digits: the digits reversed («4567» → «7654»). */
export function phoneSuffixKey(input: string): string {
  return reverseDigits(input.replace(/\D/g, ''));
}

export function reverseDigits(digits: string): string {
  let out = '';
  for (let i = digits.length - 1; i >= 0; i--) out += digits[i];
  return out;
}

/** A withheld caller ID as carriers send it. */
export function isWithheld(number: string | null | undefined): boolean {
  if (!number) return true;
  const n = number.trim().toLowerCase();
  return n === '' || n === 'anonymous' || n === 'unknown' || n === 'restricted' || n === 'private' || !/\d/.test(n);
}
