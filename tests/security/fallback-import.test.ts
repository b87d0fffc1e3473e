// The PBX's fallback call log (PULT_FALLBACK_CDR_FILE) is imported at start:
// each call once, whatever the log holds besides (broken lines, a line cut
// by a crash, a recording name reaching outside the PBX's fallback folder),
// and nothing twice across restarts. Probed from outside over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface CallItem { id: string; from: string; outcome: string | null; state: string; answeredVia: string | null; line: { name: string } | null; waitSec: number | null; talkSec: number | null }

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-fallback-'));
const log = path.join(dir, 'pult-fallback.log');
const dbFile = path.join(dir, 'pult.sqlite');
let s: Server | null = null;

const line = (uid: string, caller: string, status: string, talk: string, answered: string, rec = `fallback/20261202-023405-${uid}`) =>
  `v1|${uid}|${uid}|74950000001|${caller}|1796178845.933|1796178860.754|${status}|${talk}|${answered}|${rec}`;

async function start(): Promise<{ s: Server; admin: string }> {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_DEMO_DID: '74950000001', PULT_DEMO_MOBILE: '79990000001', PULT_DB: dbFile, PULT_FALLBACK_CDR_FILE: log });
  return { s, admin: await login(s.url, 'admin', 'demo') };
}
const calls = async (srv: Server, admin: string) => (await api<{ items: CallItem[] }>(srv.url, 'GET', '/api/calls?limit=100', undefined, admin)).body.items;
const tasks = async (srv: Server, admin: string) => (await api<{ items: { callerNumber: string; reason: string }[] }>(srv.url, 'GET', '/api/callbacks', undefined, admin)).body.items;

afterEach(async () => {
  await s?.stop();
  s = null;
});

describe('fallback call import', () => {
  it('imports answered, abandoned and unanswered calls once, with callback tasks for the two missed; broken lines change nothing', async () => {
    writeFileSync(log, [
      line('1796178845.0', '79160000001', 'ANSWER', '10', '79990000001'),
      line('1796178846.1', '79160000002', 'CANCEL', '', ''),
      line('1796178847.2', '79160000003', 'NOANSWER', '', ''),
      'garbage; DROP TABLE calls; --',
      line('1796178848.3', '79160000004', 'CANCEL', '', '', 'fallback/../../../etc/passwd'),
      line('1796178849.4', '79160000005"<script>', 'CANCEL', '', ''),
      line('1796178850.5', '79160000006', 'ANSWER', '3', '79990000001').slice(0, 50), // cut by a crash
    ].join('\n') + '\n');
    let { s: srv, admin } = await start();
    let list = await calls(srv, admin);
    expect(list.map((c) => c.from).sort()).toEqual(['79160000001', '79160000002', '79160000003']);
    const by = (n: string) => list.find((c) => c.from === n)!;
    expect(by('79160000001')).toMatchObject({ outcome: 'overflowed-answered', answeredVia: 'mobile', state: 'ended', talkSec: 10 });
    expect(by('79160000001').line?.name).toBeTruthy();
    expect(by('79160000002')).toMatchObject({ outcome: 'abandoned', state: 'ended' });
    expect(by('79160000003')).toMatchObject({ outcome: 'unanswered', state: 'ended' });
    expect((await tasks(srv, admin)).map((t) => `${t.callerNumber} ${t.reason}`).sort()).toEqual(['79160000002 abandoned', '79160000003 unanswered']);

    // A restart reads the same log again, plus one new call: only the new one is added.
    await srv.stop();
    s = null;
    appendFileSync(log, line('1796178851.6', '79160000007', 'BUSY', '', '') + '\n');
    ({ s: srv, admin } = await start());
    list = await calls(srv, admin);
    expect(list.map((c) => c.from).sort()).toEqual(['79160000001', '79160000002', '79160000003', '79160000007']);
    expect(await tasks(srv, admin)).toHaveLength(3);
  });
});
