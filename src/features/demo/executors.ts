// Demo executors (PULT_DEMO_DATA=on, after the directory): two plumbers of
// УК «Северный квартал» serving its buildings, on shift all week, logins
// `executor` and `executor2`; three requests handed to `executor` (an
// emergency leak, the 001 case of meters ordered, an anonymous caller's
// blockage) and one to `executor2`, so the phone page /x/ is not empty.
// They use generated accounts, never the documented caller 79161234567.
import type { Db } from '../../store/db.js';
import type { AuthService, User } from '../auth/service.js';
import { hashPassword } from '../auth/passwords.js';
import type { ExecutorRepository } from '../executors/index.js';
import type { RequestService } from '../requests/index.js';
import { registerTicket, type TicketDeps } from '../tickets/routes.js';

const ALL_WEEK = 0b1111111;

export function seedExecutorsDemo(db: Db, o: { auth: AuthService; executors: { repo: ExecutorRepository }; requests: RequestService; tickets: TicketDeps; password: string }): void {
  const tenantId = db.prepare('SELECT id FROM tenants WHERE name = ?').pluck().get('УК «Северный квартал»') as number | undefined;
  const plumber = db.prepare("SELECT id FROM specialities WHERE code = 'plumber'").pluck().get() as number | undefined;
  const operator = o.auth.findByLogin('operator');
  if (tenantId === undefined || plumber === undefined || !operator) return;
  const buildingIds = db.prepare('SELECT id FROM buildings WHERE tenant_id = ? ORDER BY id').pluck().all(tenantId) as number[];
  const passwordHash = hashPassword(o.password); // once: scrypt is slow on purpose
  const make = (login: string, fullName: string, mobileNumber: string) => {
    const id = o.executors.repo.transaction(() => {
      const u = o.auth.createUser({ login, password: '', passwordHash, role: 'executor', fullName, mobileNumber, tenantIds: [tenantId] });
      o.executors.repo.saveProfile(u.id, { specialityIds: [plumber], buildingIds, zoneIds: [] });
      return u.id;
    });
    o.executors.repo.shifts.addSchedule(id, { weekdays: ALL_WEEK, from: '00:00', to: '00:00', zoneId: null });
    return id;
  };
  const first = make('executor', 'Слесарь-сантехник Морозов И. В.', '79990000011');
  const second = make('executor2', 'Слесарь-сантехник Волков А. Н.', '79990000012');

  const category = (code: string) => db.prepare('SELECT id FROM ticket_categories WHERE code = ?').pluck().get(code) as number;
  const hand = (assigneeId: number, body: Parameters<typeof registerTicket>[2]) => {
    const t = registerTicket(o.tickets, operator as User, body);
    o.requests.transition(t.id, 'assigned', { assigneeId, comment: 'демо: передана исполнителю' }, operator.id);
  };
  // Residents of generated accounts (not the documented ones, whose screen pop stays as documented);
  // with a small directory, plain addresses instead.
  const residents = db.prepare(`SELECT a.account_number AS accountNumber, a.holder_name AS callerName, (SELECT p.phone FROM account_phones p WHERE p.account_id = a.id ORDER BY p.phone LIMIT 1) AS callerPhone
    FROM accounts a WHERE a.tenant_id = ? AND a.status = 'active' AND a.account_number NOT IN ('1000001', '1000002') ORDER BY a.id LIMIT 3`).all(tenantId) as { accountNumber: string; callerName: string; callerPhone: string | null }[];
  const at = (i: number, address: string, flat: string) => {
    const r = residents[i];
    return r ? { accountNumber: r.accountNumber, callerName: r.callerName, ...(r.callerPhone ? { callerPhone: r.callerPhone } : {}) } : { tenantId, address, flat, callerName: 'Жилец', callerPhone: `7990000002${i}` };
  };
  hand(first, { kind: 'emergency', categoryId: category('water-leak'), description: 'Течёт стояк холодной воды в ванной, вода на полу, соседи снизу жалуются', ...at(0, 'ул. Мира, д. 3', '7'), anonymous: false, channel: 'call' });
  hand(first, { kind: 'planned', categoryId: category('other-planned'), description: 'Замена приборов учёта воды: заказано 3 счётчика (ХВС и ГВС в ванной, ХВС на кухне)', ...at(1, 'ул. Мира, д. 3', '12'), anonymous: false, channel: 'call' });
  hand(first, { kind: 'emergency', categoryId: category('sewer-blockage'), description: 'Засор канализации в подвале, подтопление', tenantId, address: 'ул. Мира, д. 3, подвал', anonymous: true, channel: 'call' });
  hand(second, { kind: 'planned', categoryId: category('drainage'), description: 'Оторвана водосточная труба у второго подъезда', ...at(2, 'ул. Мира, д. 5', '1'), anonymous: false, channel: 'call' });
}
