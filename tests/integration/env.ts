// Ports and folders of the integration test rig: its own loopback ports,
// so a developer's `npm start` on the defaults is left alone.
import path from 'node:path';
import { readEnvFile } from '../../src/config/index.js';

export const repo = path.resolve(import.meta.dirname, '../..');
export const stateDir = path.join(repo, 'var', 'test');

export const rigEnv: Record<string, string> = {
  PULT_STATE_DIR: stateDir,
  PULT_SIP_PORT: '5260',
  PULT_ASTERISK_HTTP_PORT: '8288',
  PULT_AMI_PORT: '5238',
  PULT_SIM_SIP_PORT: '5260',
  PULT_SIM_HTTP_PORT: '8289',
  PULT_TRUNK_PEER: '127.0.0.2:5260',
  PULT_ASTERISK_VERBOSE: '3',
};

export function secrets(): Record<string, string> {
  return readEnvFile(path.join(stateDir, 'secrets.env'));
}

export const pbxAriUrl = `http://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}`;
export const simAriUrl = `http://127.0.0.1:${rigEnv.PULT_SIM_HTTP_PORT}`;
