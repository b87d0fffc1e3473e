// Benchmark: residents' mail into requests. Starts Pult in-process (temporary
// state, demo directory) with its SMTP listener on a free port and a local
// SMTP sink for the acknowledgements, then sends --mails messages over
// --conns parallel SMTP connections (nodemailer pools), half of them with a
// phone number that matches an account. Prints the time from DATA sent to
// «250» (the request registered in the database) as p50/p95/p99, the
// throughput, how many acknowledgements the sink caught, and the memory.
//
//   npm run bench:mail -- [--mails 2000] [--conns 8]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { mails: { type: 'string', default: '2000' }, conns: { type: 'string', default: '8' } } });
const mails = Number(values.mails);
const conns = Number(values.conns);

let caught = 0;
const sink = new SMTPServer({ authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false, onData(stream, _s, cb) { stream.resume(); stream.on('end', () => { caught++; cb(); }); } });
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
const sinkPort = (sink.server.address() as AddressInfo).port;

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-mail-'));
const pult = await startPult(loadConfig({
  PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '2000',
  PULT_REMINDER_CALLS: 'off', PULT_CALLBACK_AUTO: 'off', PULT_BACKUP_CRON: 'off', PULT_MAIL_FEEDBACK_CRON: 'off',
  PULT_MAIL_SMTP_PORT: '0', PULT_MAIL_SMTP_OUT_URL: `smtp://127.0.0.1:${sinkPort}`, PULT_MAIL_FROM: 'АДС <ads@pult.bench>',
}), { logger: silentLogger });
pult.db.prepare("INSERT INTO tenant_mail (tenant_id, inbound_email, replies_need_approval, updated_at) VALUES (1, 'zayavki@sever.bench', 0, '2026-01-01')").run();

const transport = nodemailer.createTransport({ host: '127.0.0.1', port: pult.mailPort!, secure: false, ignoreTLS: true, pool: true, maxConnections: conns, maxMessages: Infinity });
const rssBefore = process.memoryUsage().rss;
const lat: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: conns }, async () => {
  while (next < mails) {
    const i = next++;
    const t = performance.now();
    await transport.sendMail({
      from: `Житель ${i} <resident${i}@example.ru>`, to: 'zayavki@sever.bench', subject: `Течёт кран ${i}`,
      text: i % 2 === 0 ? `Течёт кран на кухне, телефон +7 903 111-22-33. Письмо ${i}.` : `Не работает домофон в подъезде. Письмо ${i}.`,
    });
    lat.push(performance.now() - t);
  }
}));
const elapsed = (performance.now() - started) / 1000;
for (let i = 0; i < 100 && caught < mails; i++) await new Promise((r) => setTimeout(r, 100));
const created = pult.db.prepare("SELECT count(*) FROM tickets WHERE channel = 'email'").pluck().get() as number;
const f = (x: number) => x.toFixed(1);
console.log(`mail → request: ${mails} mails over ${conns} connections in ${elapsed.toFixed(2)} s = ${(mails / elapsed).toFixed(0)} mails/s; requests created ${created}`);
console.log(`  accepted (DATA → 250) ms: p50 ${f(percentile(lat, 50))}  p95 ${f(percentile(lat, 95))}  p99 ${f(percentile(lat, 99))}  max ${f(Math.max(...lat))}`);
console.log(`  acknowledgements caught by the sink: ${caught}`);
console.log(`  memory: RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB (+${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)} MB during the run), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
transport.close();
await pult.stop();
await new Promise<void>((r) => sink.close(() => r()));
