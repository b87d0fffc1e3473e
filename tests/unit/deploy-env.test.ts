// deploy/pult.env.example (issue 13 item 8) is the production environment file
// of both systemd units: it must name every variable Pult reads and pass
// Pult's own configuration check once the one secret is filled in.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema, loadConfig, readEnvFile } from '../../src/config/index.js';

const file = path.resolve(import.meta.dirname, '../../deploy/pult.env.example');
const text = readFileSync(file, 'utf8');
/** Demo-only knobs: not for a production file. */
const demoOnly = ['PULT_DEMO_PASSWORD', 'PULT_DEMO_DID', 'PULT_DEMO_MOBILE', 'PULT_DEMO_ACCOUNTS'];

describe('deploy/pult.env.example', () => {
  it('names every variable of the configuration (set or shown commented with its default)', () => {
    const named = new Set([...text.matchAll(/^#?(PULT_[A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(configSchema.shape).filter((k) => !demoOnly.includes(k) && !named.has(k));
    expect(missing).toEqual([]);
  });

  it('is a valid configuration: HTTPS with a redirect port, demo data off, the PBX TLS port', () => {
    const env = readEnvFile(file);
    expect(env.PULT_BACKUP_CRON).toBe('30 3 * * *');
    // The signing secret is left empty on purpose: the start refuses that until it is filled in.
    expect(() => loadConfig(env)).toThrow(/PULT_URL_SIGNING_SECRET: at least 32 characters/);
    const c = loadConfig({ ...env, PULT_URL_SIGNING_SECRET: 'a'.repeat(64), PULT_ARI_PASSWORD: 'generated-secret' });
    expect(c.PULT_TLS_CERT).toBe('/etc/pult/tls/pult.crt');
    expect(c.PULT_ACME_WEBROOT).toBe('/var/lib/pult/acme');
    expect(c.PULT_HTTP_REDIRECT_PORT).toBe(80);
    expect(c.PULT_ASTERISK_TLS_PORT).toBe(8443);
    expect(c.PULT_DEMO_DATA).toBe('off');
    expect(c.dbPath).toBe('/var/lib/pult/pult.sqlite');
  });
});
