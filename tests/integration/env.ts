// Ports and folders of the integration test rig: its own loopback ports,
// so a developer's `npm start` on the defaults is left alone.
import path from 'node:path';
import { readEnvFile } from '../../src/config/index.js';

export const repo = path.resolve(import.meta.dirname, '../..');
export const stateDir = path.join(repo, 'var', 'test');

/**
 * PULT_TEST_PORT_OFFSET shifts the rig's ports so two checkouts on one
 * machine can each run their own rig (e.g. 1000 → SIP 6260, ARI 9288).
 */
export const portOffset = Number(process.env.PULT_TEST_PORT_OFFSET ?? 0);
const p = (n: number) => String(n + portOffset);

export const rigEnv: Record<string, string> = {
  PULT_STATE_DIR: stateDir,
  PULT_SIP_PORT: p(5260),
  PULT_ASTERISK_HTTP_PORT: p(8288),
  PULT_AMI_PORT: p(5238),
  PULT_SIM_SIP_PORT: p(5260),
  PULT_SIM_HTTP_PORT: p(8289),
  PULT_TRUNK_PEER: `127.0.0.2:${p(5260)}`,
  PULT_ASTERISK_VERBOSE: '3',
};

export function secrets(): Record<string, string> {
  return readEnvFile(path.join(stateDir, 'secrets.env'));
}

export const pbxAriUrl = `http://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}`;
export const simAriUrl = `http://127.0.0.1:${rigEnv.PULT_SIM_HTTP_PORT}`;

/** The simulator's registering carrier (fixtures/sim-asterisk/pjsip.conf, "Registering carrier"). */
export const simRegisteringCarrier = { host: '127.0.0.4', port: Number(rigEnv.PULT_SIM_SIP_PORT), username: 'pult-reg', password: 'sim-trunk-secret' };
