// Wiring of the AMI observer mode (PULT_MODE=ami-observer): the AMI client,
// the observer, and what /api/health shows. src/app.ts calls this instead of
// starting the ARI side.
import type { Config } from '../../config/index.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { CallEvents } from '../../telephony/events.js';
import { AmiClient } from '../../telephony/ami/client.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import { AmiObserver } from './observer.js';

export interface AmiObserverMode {
  observer: AmiObserver;
  client: AmiClient;
  /** For /api/health's `pbx` (connected = the AMI is logged in). */
  pbxStatus: { readonly connected: boolean };
  since(): string | null;
  health(): Record<string, unknown>;
  start(): void;
  stop(): Promise<void>;
}

export function createAmiObserverMode(d: {
  config: Config; db: Db; calls: CallRepository; lines: LineRepository; operators: OperatorService; recordings: RecordingService; events: CallEvents; clock: Clock; logger: Logger;
}): AmiObserverMode {
  const c = d.config;
  const client = new AmiClient({ host: c.PULT_AMI_HOST, port: c.PULT_AMI_PORT, username: c.PULT_AMI_USER, secret: c.PULT_AMI_PASSWORD ?? '', logger: d.logger, minBackoffMs: 500, maxBackoffMs: 15_000 });
  const observer = new AmiObserver(d.db, d.calls, d.lines, d.operators, d.recordings, d.events, d.clock, d.logger, {
    queueLines: c.PULT_AMI_QUEUE_LINES,
    monitorDir: c.PULT_AMI_MONITOR_DIR ?? null,
  });
  observer.attach(client);
  client.on('loginFailed', (err) => d.logger.error('AMI login failed', { err: err.message }));
  return {
    observer,
    client,
    pbxStatus: { get connected() { return client.connected; } },
    since: () => observer.status().since,
    health: () => ({ mode: 'ami-observer', ami: { host: c.PULT_AMI_HOST, port: c.PULT_AMI_PORT, version: client.protocolVersion, ...observer.status() } }),
    start: () => client.start(),
    stop: () => client.stop(),
  };
}
