// Issue 11, item 2: a configured tile layer for the zones page — its origin
// (only) is allowed in the CSP's img-src and the page learns the template;
// a malformed template stops the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { loadConfig } from '../../src/config/index.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
const tiles = 'https://tiles.example.org/osm/{z}/{x}/{y}.png';

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_MAP_TILE_URL: tiles });
});
afterAll(async () => {
  await s?.stop();
});

describe('PULT_MAP_TILE_URL', () => {
  it('adds the tile origin to img-src and hands the template to the zones page', async () => {
    const csp = (await fetch(`${s.url}/api/health`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src 'self' data: https:\/\/tiles\.example\.org(;|$)/);
    const r = await api<{ tileUrl: string | null }>(s.url, 'GET', '/api/zones/companies', undefined, await login(s.url, 'supervisor', 'demo'));
    expect(r.body.tileUrl).toBe(tiles);
  });
  it('a template without {z}/{x}/{y} is refused at start', () => {
    expect(() => loadConfig({ PULT_ARI_PASSWORD: 'x', PULT_MAP_TILE_URL: 'https://tiles.example.org/tile.png' })).toThrow(/PULT_MAP_TILE_URL/);
  });
});
