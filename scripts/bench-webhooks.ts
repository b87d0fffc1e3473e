// Vendor simulator: replays a dispatch room's day of cloud-PBX webhooks
// (Megafon/Dom.ru "API for CRM" — itoolabs) at a chosen rate against a Pult
// server on loopback, and prints throughput and the delay from the INCOMING
// webhook sent to `call.offered` on the rung operator's socket.
//
//   npm run bench:webhooks -- [--calls 2000] [--rate 50] [--operators 20]
//
// A day: each call = contact → INCOMING (one operator rung) → ACCEPTED or
// CANCELLED → history (Success / Missed) — 4 to 5 webhooks. Calls overlap as
// they would in a busy hour. The server is started in-process on a temporary
// database; nothing leaves 127.0.0.1; the run stops by itself.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import type { ServerToClientEvents } from '../src/realtime/contract.js';
import { api, login } from './lib/pult-process.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rate: { type: 'string', default: '50' }, operators: { type: 'string', default: '20' } } });
const callCount = Number(values.calls);
const rate = Number(values.rate); // calls started per second
const opCount = Number(values.operators);
const token = 'bench-crm-token-000000';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-hooks-'));
const pult = await startPult(loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20000' }), { logger: silentLogger });
const url = `http://127.0.0.1:${pult.port}`;
const sockets: Socket<ServerToClientEvents>[] = [];
try {
  const admin = await login(url, 'admin', 'demo');
  const agents: Record<string, number> = {};
  const tokens: string[] = [];
  for (let i = 0; i < opCount; i++) {
    const ext = String(3001 + i);
    const r = await api<{ operator: { userId: number } }>(url, 'POST', '/api/operators', { login: `hook${ext}`, password: 'bench-pass', fullName: `Оператор ${ext}`, extension: ext, tenantIds: [1] }, admin);
    agents[`op${ext}`] = r.body.operator.userId;
    tokens.push(await login(url, `hook${ext}`, 'bench-pass'));
  }
  const acc = await api<{ account: { id: number } }>(url, 'POST', '/api/vpbx-accounts', { vendor: 'itoolabs', name: 'bench', tenantId: 1, account: 'vats-bench.megapbx.ru', secrets: { crmToken: token }, lineId: 1, agents }, admin);
  const hook = `${url}/hooks/itoolabs/${acc.body.account.id}`;

  const offeredAt = new Map<string, number>();
  for (const t of tokens) {
    const s: Socket<ServerToClientEvents> = io(url, { auth: { token: t }, transports: ['websocket'] });
    s.on('call.offered', (card) => offeredAt.has(card.caller) || offeredAt.set(card.caller, Date.now()));
    sockets.push(s);
  }
  await Promise.all(sockets.map((s) => new Promise((r) => s.once('connect', () => r(null)))));

  // Callers: real numbers from the directory for most calls (the card finds them), some unknown.
  const known = pult.db.prepare('SELECT phone FROM account_phones ORDER BY account_id LIMIT 5000').pluck().all() as string[];
  const post = async (form: Record<string, string>) => {
    const r = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...form, crm_token: token }).toString() });
    if (r.status !== 200) throw new Error(`webhook ${form.cmd}/${form.type ?? ''} → ${r.status} ${await r.text()}`);
  };
  const sentIncoming = new Map<string, number>();
  let webhooks = 0;
  const oneCall = async (i: number) => {
    const phone = i % 5 === 4 ? `7999${String(i).padStart(7, '0')}` : known[i % known.length]!;
    const callid = `BENCH-${i}`;
    const user = `op${3001 + (i % opCount)}`;
    const base = { phone, diversion: '74950000001', callid };
    await post({ cmd: 'contact', phone, callid });
    sentIncoming.set(phone, Date.now());
    await post({ cmd: 'event', type: 'INCOMING', direction: 'in', user, ext: user.slice(2), ...base });
    await new Promise((r) => setTimeout(r, 200));
    const answered = i % 7 !== 0;
    await post({ cmd: 'event', type: answered ? 'ACCEPTED' : 'CANCELLED', direction: 'in', user, ...base });
    const start = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    await post({ cmd: 'history', type: 'in', status: answered ? 'Success' : 'Missed', user, start, duration: answered ? '95' : '0', link: '', ...base });
    webhooks += 5;
  };

  const rssBefore = process.memoryUsage().rss;
  const t0 = Date.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < callCount; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(oneCall(i));
  }
  await Promise.all(running);
  const secs = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  const delays: number[] = [];
  let missing = 0;
  for (const [phone, sent] of sentIncoming) {
    const got = offeredAt.get(phone);
    if (got === undefined) missing++;
    else delays.push(got - sent);
  }
  const logged = pult.db.prepare("SELECT count(*) FROM calls WHERE caller_channel_id LIKE 'ext:itoolabs:%'").pluck().get() as number;
  const callbacks = pult.db.prepare('SELECT count(*) FROM callback_tasks').pluck().get() as number;
  const f = (x: number) => x.toFixed(1);
  console.log(`calls ${callCount} (${webhooks} webhooks) at ${rate} calls/s with ${opCount} operators: ${f(secs)} s, ${f(webhooks / secs)} webhooks/s`);
  console.log(`INCOMING webhook sent → call.offered on the socket: p50 ${f(percentile(delays, 50))} ms, p95 ${f(percentile(delays, 95))} ms, p99 ${f(percentile(delays, 99))} ms, max ${f(Math.max(...delays))} ms; cards missing ${missing}`);
  console.log(`calls logged ${logged}, callback tasks ${callbacks}; process RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (+${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB; server and client in one process)`);
} finally {
  for (const s of sockets) s.close();
  await pult.stop();
}
