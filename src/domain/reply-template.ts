// Reply templates (issue 14, item 6): a topic found by its first letters and a
// text with placeholders in braces, filled from the request and the account.
// Pure: the caller gathers the values.

/** Every placeholder a template may use, and what it is filled with. */
export const PLACEHOLDERS = {
  номер: 'the request number (2026-000123)',
  адрес: 'the address with the flat',
  категория: 'the category',
  срок: 'the deadline (date and time) or «не установлен»',
  исполнитель: 'the executor’s name or «не назначен»',
  статус: 'the current stage',
  ссылка: 'the resident’s status link',
  имя: 'the resident’s name (the account holder or the sender)',
  лс: 'the account number',
  компания: 'the management company',
  дата: 'the date the request was received',
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Record<Placeholder, string>;

const token = /\{([^{}\s]{1,40})\}/gu;

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(token)) out.add(m[1]!.toLowerCase());
  return [...out];
}

/** Placeholders that are not known: a template using them is refused when saved. */
export function unknownPlaceholders(body: string): string[] {
  return placeholdersIn(body).filter((p) => !(p in PLACEHOLDERS));
}

/** The text with every known placeholder replaced; unknown ones stay as written. */
export function fillTemplate(body: string, values: PlaceholderValues): string {
  return body.replace(token, (whole, name: string) => {
    const key = name.toLowerCase();
    return key in PLACEHOLDERS ? values[key as Placeholder] : whole;
  });
}

/** The key a topic is searched by: lowercase, ё → е, single spaces. */
export function topicKey(topic: string): string {
  return topic.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}
