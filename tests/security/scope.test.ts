// Issue 9, items 5 and 6: what one management company's staff may see of and
// do with another's — operator states over socket.io, supervision audio,
// blind transfers. Demo companies: 1 «Северный квартал» (line 1), 2 «Рассвет» (line 2);
// operator (1001) serves both, operator2 (1002) only company 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, socketFor, storeCall, until, type Client, type Server } from '../support/security-probes.js';

let s: Server;
const sockets: Client[] = [];
let supervisor = ''; // demo: both companies
let operatorId = 0;
let operatorToken = '';
let operator2Id = 0;
let operator2Token = '';
let sup1 = ''; // company 1 only
let sup2 = ''; // company 2 only

const me = async (token: string) => (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, token)).body.user.id;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  supervisor = await login(s.url, 'supervisor', 'demo');
  operatorToken = await login(s.url, 'operator', 'demo');
  operator2Token = await login(s.url, 'operator2', 'demo');
  operatorId = await me(operatorToken);
  operator2Id = await me(operator2Token);
  sup1 = (await extraUser(s, 'sup-north', 'supervisor', [1])).token;
  sup2 = (await extraUser(s, 'sup-dawn', 'supervisor', [2])).token;
});

afterAll(async () => {
  for (const c of sockets) c.close();
  await s?.stop();
});

describe('operator.state goes only to the operator’s companies', () => {
  it('a supervisor of another company never hears a pause reason; one of the same company does', async () => {
    const north = await socketFor(s, sup1);
    const dawn = await socketFor(s, sup2);
    const self = await socketFor(s, operator2Token);
    sockets.push(north, dawn, self);
    const got = { north: [] as { userId: number; pauseReason: string | null }[], dawn: [] as { userId: number; pauseReason: string | null }[], self: [] as unknown[] };
    north.on('operator.state', (e) => got.north.push(e));
    dawn.on('operator.state', (e) => got.dawn.push(e));
    self.on('operator.state', (e) => got.self.push(e));

    const r = await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'личный звонок врачу' }, operator2Token);
    expect(r.status).toBe(200);
    await until('the company-1 supervisor gets the state', () => got.north.find((e) => e.userId === operator2Id));
    await until('the operator gets their own state', () => got.self.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.north.find((e) => e.userId === operator2Id)?.pauseReason).toBe('личный звонок врачу');
    expect(got.dawn).toEqual([]);

    // The operator of both companies: both supervisors see them.
    await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'обед' }, operatorToken);
    await until('company-2 supervisor gets the shared operator', () => got.dawn.find((e) => e.userId === operatorId));
    await until('company-1 supervisor gets the shared operator', () => got.north.find((e) => e.userId === operatorId));
  });
});

describe('supervision stays within the call’s company', () => {
  it('refuses a company-2 call to a supervisor of company 1 only', async () => {
    const call = storeCall(s, 2, operatorId);
    const r = await api(s.url, 'POST', '/api/supervise', { callId: call, mode: 'listen', supervisorEndpoint: '1001' }, sup1);
    expect(r.status).toBe(404);
  });

  it.each(['listen', 'whisper', 'barge'] as const)('%s: refuses to send a company-2 call to a company-1 phone', async (mode) => {
    const call = storeCall(s, 2, operatorId);
    const r = await api<{ error: { code: string; details: { field: string }[] } }>(s.url, 'POST', '/api/supervise', { callId: call, mode, supervisorEndpoint: 'PJSIP/1002' }, supervisor);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]?.field).toBe('supervisorEndpoint');
  });

  it('lets a phone of the call’s company through (the PBX is down here: 502, not a refusal)', async () => {
    const call = storeCall(s, 1, operatorId);
    const r = await api(s.url, 'POST', '/api/supervise', { callId: call, mode: 'listen', supervisorEndpoint: '1002' }, supervisor);
    expect(r.status).toBe(502);
  });
});

describe('transfers stay within the call’s company', () => {
  it('refuses a transfer of a company-2 call to a company-1-only operator', async () => {
    const call = storeCall(s, 2, operatorId);
    const r = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', `/api/calls/${call}/transfer`, { target: '1002' }, operatorToken);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]?.field).toBe('target');
    const stored = await api<{ transferTarget: string | null }>(s.url, 'GET', `/api/calls/${call}`, undefined, operatorToken);
    expect(stored.body.transferTarget).toBeNull();
  });

  it('accepts a transfer to an operator of the call’s company, and to a number over the trunk', async () => {
    const call = storeCall(s, 1, operatorId);
    const r = await api(s.url, 'POST', `/api/calls/${call}/transfer`, { target: '1002' }, operatorToken);
    expect(r.status).toBe(202);
    const other = storeCall(s, 2, operatorId);
    const n = await api(s.url, 'POST', `/api/calls/${other}/transfer`, { target: '+7 916 765-43-21' }, operatorToken);
    expect(n.status).toBe(202);
  });
});
