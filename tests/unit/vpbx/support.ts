// Loads the cloud-PBX webhook fixtures (fixtures/vpbx/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalCallEvent } from '../../../src/telephony/vpbx/external-events.js';

export interface Delivery { receivedAt: string; endpoint?: string; headers?: Record<string, string>; form: Record<string, string> }
export interface Fixture { description: string; account: string; deliveries: Delivery[] }

const root = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vpbx');

export function loadFixture(vendor: 'itoolabs' | 'mango' | 'zadarma', name: string): Fixture {
  return JSON.parse(readFileSync(join(root, vendor, `${name}.json`), 'utf8')) as Fixture;
}

export function readFixtureText(vendor: string, name: string): string {
  return readFileSync(join(root, vendor, name), 'utf8');
}

/** The test secrets written in fixtures/vpbx/README.md. */
export const SECRETS = {
  itoolabs: { account: 'vats000000.megapbx.ru', crmToken: 'test-itoolabs-crm-token-0001' },
  mango: { apiKey: 'testmangovpbxapikey0000000000001', apiSalt: 'test-mango-salt-0001' },
  zadarma: { key: 'test-zadarma-key-0001', secret: 'test-zadarma-secret-0001' },
};

/** 2026-03-10 06:15:00Z plus `s` seconds, as ISO. */
export const at = (s: number): string => new Date(Date.UTC(2026, 2, 10, 6, 15, 0) + s * 1000).toISOString();

/** An event without `source` and `externalId`, for compact expectations. */
export function brief(e: ExternalCallEvent): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...e };
  delete rest.source;
  delete rest.externalId;
  return rest;
}
