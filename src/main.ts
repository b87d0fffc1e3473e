// Entry point: load the configuration, start Pult, stop cleanly on a signal.
import { loadConfig } from './config/index.js';
import { startPult } from './app.js';
import { TlsSetupError } from './http/tls.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
const pult = await startPult(config).catch((err: unknown) => {
  // A certificate or key problem is said in one line; anything else keeps its stack.
  if (!(err instanceof TlsSetupError)) throw err;
  process.stderr.write(`cannot start: ${err.message}\n`);
  process.exit(2);
});
// On HTTPS, SIGHUP (systemctl reload pult) takes a renewed certificate without a restart.
if (pult.scheme === 'https') {
  process.on('SIGHUP', () => {
    try {
      pult.reloadTls();
    } catch (err) {
      pult.logger.error('TLS certificate not reloaded: the old one keeps serving', { problem: (err as Error).message });
    }
  });
}
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    pult.logger.info('stopping', { signal: sig });
    void pult.stop().then(() => process.exit(0));
  });
}
