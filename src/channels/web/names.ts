// How the status page names the executor: only a first name, never a full
// name. «Иванов Пётр Сергеевич» → «Пётр»; «Слесарь-сантехник Морозов И. В.»
// (no first name, only initials) → the trade, «Слесарь-сантехник»; otherwise
// nothing (the page then says only that an executor is assigned).
const patronymic = /(вич|вна|ична|инична)$/iu;
const turkicPatronymic = /^(оглы|кызы|улы|кызы)$/iu;
const initial = /^\p{Lu}\.$/u;

export function executorPublicName(fullName: string | null): string | null {
  if (!fullName) return null;
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  const withInitials = words.findIndex((w) => initial.test(w));
  if (withInitials >= 0) {
    // «<trade> Фамилия И. О.»: the words before the surname are the trade.
    const trade = words.slice(0, Math.max(0, withInitials - 1)).join(' ');
    return trade || null;
  }
  const last = words.at(-1) ?? '';
  if (words.length >= 3 && patronymic.test(last)) return words.at(-2)!;
  // «Мамедов Руслан Али оглы»: the patronymic is two words.
  if (words.length >= 4 && turkicPatronymic.test(last)) return words.at(-3)!;
  return null;
}
