// Demo executors (PULT_DEMO_DATA=on, after the directory): two plumbers of
// УК «Северный квартал» serving its buildings, on shift all week, logins
// `executor` and `executor2`; three requests handed to `executor` (an
// emergency leak, the 001 case of meters ordered, an anonymous caller's
// blockage) and one to `executor2`, so the phone page /x/ is not empty.
import type { Db } from '../../store/db.js';
import type { AuthService, User } from '../auth/service.js';
import type { ExecutorRepository, ExecutorService } from '../executors/index.js';
import type { RequestService } from '../requests/index.js';
import { registerTicket, type TicketDeps } from '../tickets/routes.js';

const ALL_WEEK = 0b1111111;

export function seedExecutorsDemo(db: Db, o: { auth: AuthService; executors: { service: ExecutorService; repo: ExecutorRepository }; requests: RequestService; tickets: TicketDeps; password: string }): void {
  const tenantId = db.prepare('SELECT id FROM tenants WHERE name = ?').pluck().get('УК «Северный квартал»') as number | undefined;
  const plumber = db.prepare("SELECT id FROM specialities WHERE code = 'plumber'").pluck().get() as number | undefined;
  const operator = o.auth.findByLogin('operator');
  if (tenantId === undefined || plumber === undefined || !operator) return;
  const buildingIds = db.prepare('SELECT id FROM buildings WHERE tenant_id = ? ORDER BY id').pluck().all(tenantId) as number[];
  const make = (login: string, fullName: string, mobileNumber: string) => {
    const id = o.executors.service.create({ login, password: o.password, fullName, mobileNumber, tenantIds: [tenantId], specialityIds: [plumber], buildingIds, zoneIds: [] });
    o.executors.repo.shifts.addSchedule(id, { weekdays: ALL_WEEK, from: '00:00', to: '00:00', zoneId: null });
    return id;
  };
  const first = make('executor', 'Слесарь-сантехник Морозов И. В.', '79990000011');
  const second = make('executor2', 'Слесарь-сантехник Волков А. Н.', '79990000012');

  const category = (code: string) => db.prepare('SELECT id FROM ticket_categories WHERE code = ?').pluck().get(code) as number;
  const hasAccount = (n: string) => db.prepare('SELECT 1 FROM accounts WHERE account_number = ?').get(n) !== undefined;
  const hand = (assigneeId: number, body: Parameters<typeof registerTicket>[2]) => {
    const t = registerTicket(o.tickets, operator as User, body);
    o.requests.transition(t.id, 'assigned', { assigneeId, comment: 'демо: передана исполнителю' }, operator.id);
  };
  if (hasAccount('1000001')) {
    hand(first, { kind: 'emergency', categoryId: category('water-leak'), description: 'Течёт стояк холодной воды в ванной, вода на полу, соседи снизу жалуются', accountNumber: '1000001', callerName: 'Иванова Анна Петровна', callerPhone: '79161234567', anonymous: false, channel: 'call' });
  }
  if (hasAccount('1000002')) {
    hand(first, { kind: 'planned', categoryId: category('other-planned'), description: 'Замена приборов учёта воды: заказано 3 счётчика (ХВС и ГВС в ванной, ХВС на кухне)', accountNumber: '1000002', callerName: 'Иванов Пётр Сергеевич', callerPhone: '79031112233', anonymous: false, channel: 'call' });
    hand(second, { kind: 'planned', categoryId: category('drainage'), description: 'Оторвана водосточная труба у второго подъезда', accountNumber: '1000002', anonymous: false, channel: 'call' });
  }
  hand(first, { kind: 'emergency', categoryId: category('sewer-blockage'), description: 'Засор канализации в подвале, подтопление', tenantId, address: 'ул. Ленина, д. 5, подвал', anonymous: true, channel: 'call' });
}
