// Issue 14, channels' loose ends: e-mail addresses in the directory. The
// billing export's «Эл. почта» column is imported; a first mail from such an
// address is matched to that account (within the company the mail was sent
// to), even without a phone in the text; the same address in another
// company's directory is not used. The account shows its addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type Transporter } from 'nodemailer';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';

let s: Awaited<ReturnType<typeof testServer>>;
let admin: string;
let resident: Transporter;
let firstId = 0;

type Item = { id: number; number: string; accountNumber: string | null };
const listEmail = async (tenantId: number) => (await api<{ items: Item[] }>(s.url, 'GET', `/api/requests?channel=email&tenantId=${tenantId}`, undefined, admin)).body.items;
const detail = async (id: number) => (await api<{ request: { accountNumber: string | null; tenantId: number } }>(s.url, 'GET', `/api/requests/${id}`, undefined, admin)).body.request;

const csv = [
  'Лицевой счет;ФИО;УК;Город;Улица;Дом;Квартира;Телефоны;Эл. почта',
  '9100001;Кузнецова Мария Ивановна;УК «Северный квартал»;Вологда;ул. Ленина;5;40;;"Maria.K@Example.ru; maria@work.example"',
  '9200001;Орлов Пётр Ильич;ТСЖ «Рассвет»;Вологда;пр-т Победы;17;8;;rassvet.only@example.ru',
].join('\n');

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_MAIL_SMTP_PORT: '0', PULT_MAIL_DOMAINS: 'sever.test,rassvet.test' });
  admin = await login(s.url, 'admin', 'demo');
  expect((await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: false }, admin)).status).toBe(200);
  expect((await api(s.url, 'PUT', '/api/tenants/2/mail', { inboundEmail: 'info@rassvet.test', repliesNeedApproval: false }, admin)).status).toBe(200);
  const r = await fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${admin}` }, body: csv });
  expect(r.status, await r.clone().text()).toBe(200);
  expect(await r.json()).toMatchObject({ inserted: 2, rejected: 0 });
  resident = nodemailer.createTransport({ host: '127.0.0.1', port: s.mailPort!, secure: false, ignoreTLS: true });
}, 60_000);
afterAll(async () => {
  resident?.close();
  await s?.stop();
});

describe('directory e-mails', () => {
  it('the account shows the addresses from the import', async () => {
    const sup = await login(s.url, 'supervisor', 'demo');
    const acc = await api<{ emails: string[] }>(s.url, 'GET', '/api/accounts/9100001', undefined, sup);
    expect(acc.status).toBe(200);
    expect(acc.body.emails).toEqual(['maria.k@example.ru', 'maria@work.example']);
  });

  it('a first mail from an address in the directory is matched to that account, without a phone in the text', async () => {
    await resident.sendMail({ from: 'Мария <MARIA.K@example.ru>', to: 'zayavki@sever.test', subject: 'Не закрывается окно в подъезде', text: 'Второй этаж, рама разбухла.' });
    const items = await listEmail(1);
    expect(items).toHaveLength(1);
    firstId = items[0]!.id;
    expect(await detail(firstId)).toMatchObject({ tenantId: 1, accountNumber: '9100001' });
  });

  it("the same address in another company's directory is not used", async () => {
    await resident.sendMail({ from: 'rassvet.only@example.ru', to: 'zayavki@sever.test', subject: 'Шумят соседи', text: 'Каждую ночь.' });
    const items = await listEmail(1);
    expect(items).toHaveLength(2);
    const unmatched = items.find((x) => x.id !== firstId)!;
    expect((await detail(unmatched.id)).accountNumber).toBeNull();
    // Sent to its own company, it is matched there.
    await resident.sendMail({ from: 'rassvet.only@example.ru', to: 'info@rassvet.test', subject: 'Шумят соседи', text: 'Каждую ночь.' });
    const theirs = await listEmail(2);
    expect(theirs).toHaveLength(1);
    expect(await detail(theirs[0]!.id)).toMatchObject({ tenantId: 2, accountNumber: '9200001' });
  });
});
