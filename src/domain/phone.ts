// Russian phone numbers as people write them: +7 (916) 123-45-67,
// 8 916 123 45 67, 79161234567, 9161234567. Normalised to 11 digits
// starting with 7 when it is a Russian number; other numbers keep their digits.
export function normalizePhone(input: string | null | undefined): string | null {
  if (!input) return null;
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) return '7' + digits.slice(1);
  if (digits.length === 10 && /^[3489]/.test(digits)) return '7' + digits;
  return digits;
}

/** A withheld caller ID as carriers send it. */
export function isWithheld(number: string | null | undefined): boolean {
  if (!number) return true;
  const n = number.trim().toLowerCase();
  return n === '' || n === 'anonymous' || n === 'unknown' || n === 'restricted' || n === 'private' || !/\d/.test(n);
}
