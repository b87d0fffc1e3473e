// Moves finished recordings from the PBX into Pult's own storage, retrying
// with backoff; the call shows the failure if the file never arrives.
import { mkdirSync, writeFileSync, renameSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRepository } from '../calls/repository.js';
import { readWavInfo } from './wav.js';
import { FetchRefused, safeDownload, type FetchPolicy } from '../../net/safe-fetch.js';

/** Fetches recording `name` into the file `dest`: its size, or null when it is not there (yet). */
export type RecordingSource = (name: string, dest: string) => Promise<number | null>;

export class RecordingService {
  private inFlight = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly pbx: PbxPort,
    private readonly calls: CallRepository,
    private readonly dir: string,
    private readonly events: CallEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retryDelaysMs: number[] = [500, 1000, 2000, 5000, 10_000, 30_000, 60_000],
    /** Where recording URLs may lead (hosts, addresses, size, time): src/net/safe-fetch.ts. */
    private readonly fetchPolicy: FetchPolicy = { hosts: [], allowPrivate: false, timeoutMs: 60_000, maxBytes: 200 * 1024 * 1024 },
    /** Where `file:<name>` recordings are copied from (PULT_AMI_MONITOR_DIR: an observed Asterisk's MixMonitor files on this host). */
    private readonly localDir: string | null = null,
  ) {}

  private sources = new Map<string, RecordingSource>();

  /** Recordings named `<prefix>…` are fetched by `fetch` (e.g. a cloud PBX's API); null = not ready yet. */
  registerSource(prefix: string, fetch: RecordingSource): void {
    this.sources.set(prefix, fetch);
  }

  /** Fetches a finished recording; retries on its own until it succeeds or runs out of tries. */
  fetch(pbxName: string, attempt = 0): void {
    if (this.inFlight.has(pbxName)) return;
    this.inFlight.add(pbxName);
    void this.tryFetch(pbxName)
      .then((ok) => {
        this.inFlight.delete(pbxName);
        if (ok) return;
        const delay = this.retryDelaysMs[attempt];
        const rec = this.calls.recordingByName(pbxName);
        if (delay === undefined) {
          const error = `recording never arrived from the PBX after ${attempt + 1} tries`;
          this.calls.recordingFailed(pbxName, error);
          if (rec) this.events.emit('recording.failed', { callId: rec.callId, error, at: this.clock.now().toISOString() });
          this.logger.error('recording lost', { pbxName, callId: rec?.callId });
          return;
        }
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.fetch(pbxName, attempt + 1);
        }, delay);
        this.timers.add(t);
      });
  }

  fetchPending(): void {
    for (const r of this.calls.unfetchedRecordings()) this.fetch(r.pbxName);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * Downloads a URL into `dest` under the fetch policy (allowed hosts on every
   * redirect hop, no private addresses, size cap, timeout): its size, or null
   * when it is not there (yet). A refusal by policy throws FetchRefused.
   */
  async download(url: string, dest: string, extraHosts: readonly string[] = []): Promise<number | null> {
    const policy = extraHosts.length ? { ...this.fetchPolicy, hosts: [...this.fetchPolicy.hosts, ...extraHosts] } : this.fetchPolicy;
    const r = await safeDownload({ method: 'GET', url }, dest, policy);
    if (r.status === 404) return null;
    if (r.status < 200 || r.status >= 300) throw new Error(`GET recording → ${r.status}`);
    return r.bytes;
  }

  /**
   * A finished MixMonitor file from the local directory, or null while it is
   * missing or still being written. Refuses anything outside that directory.
   */
  private readLocal(name: string): Buffer | null {
    if (!this.localDir) throw new RecordingRefused('no directory configured for local recordings (PULT_AMI_MONITOR_DIR)');
    const root = realpathSync(this.localDir);
    const wanted = path.resolve(root, name);
    let real: string;
    try {
      real = realpathSync(wanted);
    } catch {
      return null; // not there (yet)
    }
    if (real !== root && !real.startsWith(root + path.sep)) throw new RecordingRefused('recording path outside PULT_AMI_MONITOR_DIR');
    const st = statSync(real);
    if (!st.isFile()) throw new RecordingRefused('recording path is not a file');
    // MixMonitor closes the file (and patches the WAV header) just after the hangup.
    if (this.clock.now().getTime() - st.mtimeMs < 1000) return null;
    return readFileSync(real);
  }

  private async tryFetch(pbxName: string): Promise<boolean> {
    const rec = this.calls.recordingByName(pbxName);
    if (!rec || rec.state === 'stored') return true;
    const fromUrl = /^https?:\/\//i.test(pbxName);
    const fromFile = pbxName.startsWith('file:');
    const source = [...this.sources].find(([prefix]) => pbxName.startsWith(prefix))?.[1];
    const day = this.clock.now().toISOString().slice(0, 10).split('-');
    const folder = path.join(this.dir, ...day);
    const file = path.join(folder, `${rec.callId}.${rec.format}`);
    const part = file + '.part';
    try {
      // A call observed through a cloud PBX's webhooks never reaches the PBX's
      // (ARI) spool or local files, whatever its recording is named.
      const external = this.calls.get(rec.callId)?.callerChannelId.startsWith('ext:') ?? false;
      if (external && !fromUrl && !source) throw new RecordingRefused('a cloud PBX recording must be an http(s) link or a recording id');
      mkdirSync(folder, { recursive: true });
      let size: number | null;
      if (source) size = await source(pbxName, part);
      else if (fromUrl) size = await this.download(pbxName, part);
      else {
        const data = fromFile ? this.readLocal(pbxName.slice('file:'.length)) : await this.pbx.fetchRecording(pbxName, rec.format);
        if (data) writeFileSync(part, data);
        size = data ? data.length : null;
      }
      if (size === null) {
        this.logger.warn('recording not there yet', { pbxName });
        return false;
      }
      // WAV says how long it is; for other formats (a cloud PBX's MP3) the talk time stands in.
      const info = rec.format === 'wav' ? readWavInfo(readFileSync(part)) : { durationSec: this.calls.get(rec.callId)?.talkSec ?? 0 };
      renameSync(part, file);
      this.calls.recordingStored(pbxName, { filePath: file, sizeBytes: size, durationSec: Math.round(info.durationSec * 100) / 100, at: this.clock.now().toISOString() });
      this.events.emit('recording.ready', { callId: rec.callId, durationSec: info.durationSec, at: this.clock.now().toISOString() });
      this.logger.info('recording stored', { callId: rec.callId, file, durationSec: info.durationSec });
      // Pult now owns the file; free the PBX's spool.
      // (A local file belongs to the observed Asterisk's installation: it is copied, not removed.)
      if (!fromUrl && !fromFile && !source) await this.pbx.deleteRecording(pbxName).catch((err: unknown) => this.logger.warn('could not delete recording on PBX', { pbxName, err }));
      return true;
    } catch (err) {
      rmSync(part, { force: true });
      if (err instanceof RecordingRefused || err instanceof FetchRefused) {
        this.calls.recordingFailed(pbxName, err.message);
        if (this.calls.recordingByName(pbxName)) this.events.emit('recording.failed', { callId: rec.callId, error: err.message, at: this.clock.now().toISOString() });
        this.logger.warn('recording refused', { callId: rec.callId, pbxName, reason: err.message });
        return true;
      }
      this.logger.warn('recording fetch failed', { pbxName, err });
      return false;
    }
  }
}

class RecordingRefused extends Error {}
