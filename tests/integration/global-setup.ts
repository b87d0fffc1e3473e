// Starts the real Asterisk pair once for all integration tests: the PBX with
// the project's dialplan/ and the simulator (carrier, callers, phones).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repo, rigEnv } from './env.js';

const script = (name: string) => path.join(repo, 'scripts', 'asterisk', `${name}.sh`);

function run(name: string, cmd: string): void {
  execFileSync('bash', [script(name), cmd], { env: { ...process.env, ...rigEnv }, stdio: 'inherit', timeout: 1_200_000 });
}

export async function setup(): Promise<void> {
  execFileSync('bash', [path.join(repo, 'scripts', 'asterisk', 'build.sh')], { stdio: 'inherit', timeout: 1_800_000 });
  run('pbx', 'start');
  run('sim', 'start');
}

export async function teardown(): Promise<void> {
  if (process.env.PULT_KEEP_RIG === '1') return;
  run('sim', 'stop');
  run('pbx', 'stop');
}
