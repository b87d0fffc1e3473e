// Screenshots for the channels' loose ends (not committed).
import { api, login } from './scripts/lib/pult-process.js';
import { launchChromium, uiLogin } from './tests/support/browser.js';
import { testServer } from './tests/support/test-server.js';

const [uiDir, prefix] = process.argv.slice(2);
const out = (n: string) => `/tmp/chrest-shots/${prefix}-${n}.png`;
const s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir!, PULT_DEMO_ACCOUNTS: '50' });
const browser = await launchChromium();
try {
  const admin = await login(s.url, 'admin', 'demo');
  const extra = (await api<{ tenant: { id: number } }>(s.url, 'POST', '/api/tenants', { name: 'УК «Без веб-формы»' }, admin)).body.tenant.id;
  const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
  await phone.goto(`${s.url}/r/`);
  await phone.locator('a.rs-company').first().waitFor();
  await phone.screenshot({ path: out('r-list'), fullPage: true });
  await phone.goto(`${s.url}/r/${extra}/`);
  await phone.waitForTimeout(800);
  await phone.screenshot({ path: out('r-3'), fullPage: true });
  await phone.goto(`${s.url}/r/1/`);
  await phone.getByTestId('web-form').waitFor();
  await phone.getByTestId('submit').click();
  await phone.getByTestId('form-error').waitFor();
  await phone.getByTestId('address-search').fill('Ленина 5');
  await phone.locator('.rs-result', { hasText: 'Ленина, д. 5' }).first().click();
  await phone.getByTestId('flat').fill('12');
  const door = await phone.getByTestId('category').locator('option', { hasText: 'входной двери' }).getAttribute('value');
  await phone.getByTestId('category').selectOption(door!);
  await phone.getByTestId('description').fill('Не закрывается входная дверь в подъезде');
  await phone.getByTestId('name').fill('Анна Иванова');
  await phone.getByTestId('phone').fill('8 916 555-44-33');
  await phone.screenshot({ path: out('form-fixed'), fullPage: true });
  console.log('summary visible after fixing:', await phone.getByTestId('form-error').isVisible());
  await phone.getByTestId('submit').click();
  await phone.getByTestId('form-done').waitFor();
  const number = /\d{4}-\d{6}/.exec((await phone.getByTestId('request-number').textContent())!)![0];
  const list = await api<{ items: { id: number; number: string }[] }>(s.url, 'GET', `/api/requests?number=${number}&tenantId=1`, undefined, admin);
  const id = list.body.items.find((x) => x.number === number)!.id;
  for (const step of [{ to: 'in_work' }, { to: 'done', result: 'Заменён доводчик' }, { to: 'closed' }]) await api(s.url, 'POST', `/api/requests/${id}/transition`, step, admin);
  await phone.getByTestId('status-link').click();
  await phone.getByTestId('rating').waitFor();
  await phone.getByTestId('star-2').click();
  await phone.getByTestId('rate-send').click();
  await phone.getByTestId('notice').waitFor();
  await phone.evaluate(() => window.scrollTo(0, 0));
  await phone.screenshot({ path: out('status-reopened'), fullPage: false });
  const desk = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await desk.goto(`${s.url}/admin/#users`);
  await uiLogin(desk, 'admin');
  await desk.getByTestId('users-table').waitFor();
  await desk.screenshot({ path: out('admin-users'), fullPage: true });
  await desk.getByTestId('admin-tab-tenants').click();
  await desk.getByTestId('tenants-table').waitFor();
  await desk.waitForTimeout(300);
  await desk.screenshot({ path: out('admin-tenants'), fullPage: true });
  if (prefix === 'after') {
    const csv = 'Лицевой счет;ФИО;УК;Город;Улица;Дом;Квартира;Телефоны;Эл. почта\n9100001;Кузнецова Мария Ивановна;УК «Северный квартал»;Вологда;ул. Ленина;5;40;79165550001;"maria.k@example.ru; maria@work.example"';
    await fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` }, body: csv });
    const op = await login(s.url, 'operator', 'demo');
    const me = (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, op)).body.user.id;
    const console_ = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await console_.goto(`${s.url}/`);
    await uiLogin(console_, 'operator');
    await console_.getByTestId('user-name').waitFor();
    await console_.waitForTimeout(1000);
    const at = new Date().toISOString();
    const id = '00000000-0000-4000-8000-00000000ee01';
    s.db.prepare(`INSERT INTO calls (id, direction, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, 'inbound', 1, '74950000001', '79165550001', ?, 'waiting', ?)`).run(id, `${id}-c`, at);
    s.db.prepare(`INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, 'operator', ?, 'PJSIP/1001', ?)`).run(id, 'ee01-o1', me, at);
    s.events.emit('call.offered', { callId: id, kind: 'operator', userId: me, target: '1001', at });
    await console_.getByTestId('card-account-emails').waitFor({ timeout: 10_000 });
    await console_.screenshot({ path: out('console-card'), fullPage: false });
  }
} finally {
  await browser.close();
  await s.stop();
}
