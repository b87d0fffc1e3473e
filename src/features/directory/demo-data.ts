// Deterministic demo directory: a Russian city's streets and houses, five
// management companies, residents with 1–2 phones. The same seed always gives
// the same accounts. The first accounts are fixed and documented:
//
//   1000001  Иванова Анна Петровна      79161234567              УК «Северный квартал», ул. Ленина, д. 5, кв. 12
//   1000002  Иванов Пётр Сергеевич      79161234567, 79031112233 УК «Северный квартал», ул. Ленина, д. 5, кв. 14
//   2000001  Соколов Дмитрий Алексеевич 79162223344              ТСЖ «Рассвет», пр-т Победы, д. 17, кв. 3
//
// (79161234567 is a number shared by two accounts: the screen pop shows both.)
// Account numbers are the company's digit (1…5) followed by six digits.
import type { Db } from '../../store/db.js';
import { bulkCacheKib, DirectoryRepository, type AccountInput } from './repository.js';

export const demoTenants = ['УК «Северный квартал»', 'ТСЖ «Рассвет»', 'УК «Жилкомсервис»', 'УК «Домовой»', 'ТСЖ «Берёзка»'] as const;
/** Share of buildings per company, in the order of demoTenants. */
const tenantWeights = [0.35, 0.1, 0.25, 0.2, 0.1];
export const demoCity = 'Вологда';

export const fixedDemoAccounts: readonly AccountInput[] = [
  { accountNumber: '1000001', holderName: 'Иванова Анна Петровна', tenant: demoTenants[0], city: demoCity, street: 'ул. Ленина', house: '5', block: null, flat: '12', fiasId: null, phones: ['79161234567'], status: 'active' },
  { accountNumber: '1000002', holderName: 'Иванов Пётр Сергеевич', tenant: demoTenants[0], city: demoCity, street: 'ул. Ленина', house: '5', block: null, flat: '14', fiasId: null, phones: ['79161234567', '79031112233'], status: 'active' },
  { accountNumber: '2000001', holderName: 'Соколов Дмитрий Алексеевич', tenant: demoTenants[1], city: demoCity, street: 'пр-т Победы', house: '17', block: null, flat: '3', fiasId: null, phones: ['79162223344'], status: 'active' },
];
const reservedPhones = new Set(fixedDemoAccounts.flatMap((a) => a.phones));

const streets = [
  'ул. Ленина', 'пр-т Победы', 'ул. Мира', 'ул. Советская', 'ул. Гагарина', 'ул. Пушкинская', 'ул. Октябрьская', 'ул. Комсомольская',
  'ул. Кирова', 'ул. Горького', 'ул. Садовая', 'ул. Лесная', 'ул. Школьная', 'ул. Набережная', 'ул. Молодёжная', 'ул. Зелёная',
  'ул. Первомайская', 'ул. 8 Марта', 'ул. Чехова', 'ул. Лермонтова', 'ул. Маяковского', 'ул. Труда', 'ул. Космонавтов', 'ул. Строителей',
  'ул. Энтузиастов', 'ул. Берёзовая', 'ул. Менделеева', 'ул. Челюскинцев', 'ул. Ярославская', 'ул. Северная', 'ул. Южакова', 'ул. Козлёнская',
  'ул. Предтеченская', 'ул. Чернышевского', 'ул. Петина', 'ул. Добролюбова', 'ул. Некрасова', 'ул. Герцена', 'ул. Урицкого', 'ул. Ветошкина',
  'пер. Водников', 'пер. Гончарный', 'пер. Тихий', 'б-р Пироговский', 'б-р Строителей', 'Окружное ш.', 'Пошехонское ш.', 'Советский пр-т',
  'ул. Фёдорова', 'ул. Дзержинского', 'ул. Панкратова', 'ул. Ильюшина', 'ул. Конева', 'ул. Преображенского', 'ул. Разина', 'ул. Сергея Орлова',
  'ул. Маршала Конева', 'ул. Яшина', 'наб. VI Армии', 'ул. 1-я Линия',
];
const maleSurnames = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков',
  'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев', 'Орлов', 'Андреев', 'Макаров', 'Никитин',
  'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев', 'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров',
  'Дмитриев', 'Королёв', 'Гусев', 'Киселёв', 'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев',
  'Антонов', 'Тарасов', 'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов', 'Гаврилов', 'Тихонов',
  'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов', 'Мартынов', 'Ефимов', 'Федотов', 'Щербаков',
  'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов', 'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов',
  'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров', 'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков',
];
// Surnames that do not change with gender.
const neutralSurnames = ['Шевченко', 'Бондаренко', 'Коваленко', 'Кравец', 'Дурново', 'Живаго', 'Черных', 'Седых', 'Белых', 'Долгих'];
const maleNames = ['Александр', 'Алексей', 'Андрей', 'Артём', 'Борис', 'Василий', 'Виктор', 'Владимир', 'Дмитрий', 'Евгений', 'Иван', 'Игорь', 'Константин', 'Михаил', 'Николай', 'Олег', 'Павел', 'Пётр', 'Роман', 'Сергей', 'Степан', 'Юрий', 'Фёдор'];
const femaleNames = ['Анна', 'Алёна', 'Валентина', 'Галина', 'Дарья', 'Екатерина', 'Елена', 'Ирина', 'Людмила', 'Мария', 'Наталья', 'Нина', 'Ольга', 'Светлана', 'Софья', 'Тамара', 'Татьяна', 'Юлия', 'Ксения', 'Зоя'];
const fatherNames = ['Александр', 'Алексей', 'Андрей', 'Борис', 'Василий', 'Виктор', 'Владимир', 'Дмитрий', 'Евгений', 'Иван', 'Игорь', 'Михаил', 'Николай', 'Олег', 'Павел', 'Пётр', 'Сергей', 'Юрий', 'Фёдор', 'Степан', 'Геннадий', 'Анатолий'];

function patronymic(father: string, female: boolean): string {
  const irregular: Record<string, [string, string]> = {
    Пётр: ['Петрович', 'Петровна'], Юрий: ['Юрьевич', 'Юрьевна'], Василий: ['Васильевич', 'Васильевна'],
    Геннадий: ['Геннадьевич', 'Геннадьевна'], Анатолий: ['Анатольевич', 'Анатольевна'], Игорь: ['Игоревич', 'Игоревна'],
    Алексей: ['Алексеевич', 'Алексеевна'], Андрей: ['Андреевич', 'Андреевна'], Сергей: ['Сергеевич', 'Сергеевна'],
    Николай: ['Николаевич', 'Николаевна'], Евгений: ['Евгеньевич', 'Евгеньевна'], Дмитрий: ['Дмитриевич', 'Дмитриевна'],
    Михаил: ['Михайлович', 'Михайловна'], Павел: ['Павлович', 'Павловна'],
  };
  const ir = irregular[father];
  if (ir) return female ? ir[1] : ir[0];
  return father + (female ? 'овна' : 'ович');
}

function femaleSurname(male: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return male + 'а';
  if (/ий$/.test(male)) return male.slice(0, -2) + 'ая';
  return male;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo accounts, fixed ones first, `count` in all. */
export function* generateDemoAccounts(o: { accounts: number; seed: number }): Generator<AccountInput> {
  const rnd = prng(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let emitted = 0;
  for (const a of fixedDemoAccounts) {
    if (emitted >= o.accounts) return;
    yield a;
    emitted++;
  }
  const nextNumber = demoTenants.map((_, i) => (i + 1) * 1_000_000 + 1 + fixedDemoAccounts.filter((a) => a.tenant === demoTenants[i]).length);
  const nextHouse = streets.map(() => 1);
  const taken = new Set(fixedDemoAccounts.map((a) => `${a.street}|${a.house}`));
  let lastPhone: string | null = null;
  const phone = (): string => {
    for (;;) {
      const p = rnd() < 0.85 ? `79${String(int(0, 999_999_999)).padStart(9, '0')}` : `78172${String(int(0, 999_999)).padStart(6, '0')}`;
      if (!reservedPhones.has(p)) return p;
    }
  };
  const tenantIndex = () => {
    let x = rnd();
    for (let i = 0; i < tenantWeights.length; i++) {
      x -= tenantWeights[i]!;
      if (x < 0) return i;
    }
    return 0;
  };
  while (emitted < o.accounts) {
    // A building: a street, the next free house number, some flats.
    const si = int(0, streets.length - 1);
    const street = streets[si]!;
    let house: string;
    do {
      const n = nextHouse[si]!;
      nextHouse[si] = n + int(1, 2);
      house = rnd() < 0.08 ? `${n}${pick(['А', 'Б', 'В'])}` : String(n);
    } while (taken.has(`${street}|${house}`));
    const block = rnd() < 0.1 ? String(int(1, 4)) : null;
    const ti = tenantIndex();
    const flats = pick([8, 12, 18, 36, 45, 60, 72, 80, 100, 120, 144, 180, 240]);
    const fias = `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`;
    for (let f = 1; f <= flats && emitted < o.accounts; f++) {
      const female = rnd() < 0.55;
      const base = rnd() < 0.04 ? pick(neutralSurnames) : pick(maleSurnames);
      const surname = female ? femaleSurname(base) : base;
      const first = female ? pick(femaleNames) : pick(maleNames);
      const phones = [phone()];
      if (rnd() < 0.35) phones.push(phone());
      // Some relatives in the same house give the same number for two accounts.
      if (lastPhone && f > 1 && rnd() < 0.01) phones.push(lastPhone);
      const uniquePhones = [...new Set(phones)];
      lastPhone = uniquePhones[0]!;
      yield {
        accountNumber: String(nextNumber[ti]!++),
        holderName: `${surname} ${first} ${patronymic(pick(fatherNames), female)}`,
        tenant: demoTenants[ti]!,
        city: demoCity,
        street,
        house,
        block,
        flat: String(f),
        fiasId: fias,
        phones: uniquePhones,
        status: rnd() < 0.03 ? 'closed' : 'active',
      };
      emitted++;
    }
  }
}

function hex(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
}

/**
 * Inserts the demo directory straight into the database (no CSV, no
 * validation: the generator's rows are valid). Reuses the management
 * companies that already exist by name. Returns how many accounts were added.
 */
export function seedDirectoryDemo(db: Db, o: { accounts: number; seed: number; now?: string; onProgress?: (done: number) => void; batchSize?: number }): number {
  const repo = new DirectoryRepository(db);
  const now = o.now ?? new Date().toISOString();
  const tenants = new Map<string, number>();
  const buildings = new Map<string, number>();
  let added = 0;
  const batch: AccountInput[] = [];
  const flush = db.transaction((rows: AccountInput[]) => {
    for (const a of rows) {
      let t = tenants.get(a.tenant);
      if (t === undefined) tenants.set(a.tenant, (t = repo.tenantId(a.tenant, true)!));
      const bk = `${t}|${a.street}|${a.house}|${a.block ?? ''}`;
      let b = buildings.get(bk);
      if (b === undefined) buildings.set(bk, (b = repo.buildingId(t, a)));
      if (repo.importState(a.accountNumber)) continue;
      repo.insertAccount(a, b, t, null, now);
      added++;
    }
  });
  // Index inserts land at random places (names, phones): a big page cache
  // keeps them in memory for the duration of the bulk load.
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${bulkCacheKib}`);
  try {
    for (const a of generateDemoAccounts(o)) {
      batch.push(a);
      if (batch.length >= (o.batchSize ?? 50_000)) {
        flush(batch);
        batch.length = 0;
        o.onProgress?.(added);
      }
    }
    flush(batch);
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
  }
  seedDemoCoordinates(db);
  return added;
}

/**
 * Demo buildings get coordinates in Vologda (59.18–59.26 N, 39.80–39.98 E):
 * each street a deterministic line, houses along it by number. Only
 * buildings without coordinates are touched.
 */
export function seedDemoCoordinates(db: Db): number {
  const rows = db.prepare('SELECT id, street_key AS s, house_num AS n FROM buildings WHERE lat IS NULL').all() as { id: number; s: string; n: number }[];
  const set = db.prepare('UPDATE buildings SET lat = ?, lon = ? WHERE id = ?');
  const hash = (x: string) => {
    let h = 2166136261;
    for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), 16777619);
    return h >>> 0;
  };
  db.transaction(() => {
    for (const r of rows) {
      const rnd = prng(hash(r.s));
      const lat0 = 59.185 + rnd() * 0.06;
      const lon0 = 39.81 + rnd() * 0.15;
      const angle = rnd() * Math.PI;
      const step = 0.0006 * Math.min(r.n, 200);
      set.run(Math.round((lat0 + Math.sin(angle) * step * 0.5) * 1e6) / 1e6, Math.round((lon0 + Math.cos(angle) * step) * 1e6) / 1e6, r.id);
    }
  })();
  return rows.length;
}

/** The CSV header written by writeDemoCsv; the import recognises it without a mapping. */
export const demoCsvHeader = ['Лицевой счет', 'ФИО', 'УК', 'Город', 'Улица', 'Дом', 'Корпус', 'Квартира', 'Код ФИАС', 'Телефоны', 'Статус'];

const csvCell = (v: string) => (/[;"\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes the demo accounts as CSV (UTF-8, `;`, CRLF) to a stream, respecting back-pressure. */
export async function writeDemoCsv(out: NodeJS.WritableStream & { end(cb?: () => void): unknown }, o: { accounts: number; seed: number }): Promise<number> {
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(demoCsvHeader.join(';') + '\r\n');
  let n = 0;
  let chunk = '';
  for (const a of generateDemoAccounts(o)) {
    chunk += [a.accountNumber, a.holderName, a.tenant, a.city, a.street, a.house, a.block ?? '', a.flat ?? '', a.fiasId ?? '', a.phones.join(', '), a.status === 'active' ? 'открыт' : 'закрыт'].map(csvCell).join(';') + '\r\n';
    if (++n % 1000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  return n;
}
