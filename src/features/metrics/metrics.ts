// Prometheus metrics of one Pult process, in its own registry (never the
// global one: tests start several servers in one process). Gauges are read
// at scrape time from the database and the PBX link; counters and the
// offer-to-answer histogram are fed by the normalised call events, so no
// routing or adapter code knows about metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEvents } from '../../telephony/events.js';
import type { MetricsRepository } from './repository.js';

export interface MetricsSources {
  repo: MetricsRepository;
  /** Each PBX link and whether it is up now: { ari: true } or { ami: false }. */
  pbxLinks: () => Record<string, boolean>;
}

/** Offers remembered per call until it is answered or ends (a bound against leaks). */
const MAX_TRACKED_CALLS = 10_000;

export class PultMetrics {
  readonly registry = new Registry();
  private readonly offers: Counter<'kind'>;
  private readonly offerResults: Counter<'kind' | 'result'>;
  private readonly arrived: Counter<'line'>;
  private readonly ended: Counter<'outcome'>;
  private readonly answerLatency: Histogram<'via'>;
  private readonly recordingFailures: Counter;
  private readonly webhooks: Counter<'vendor' | 'result' | 'status'>;
  /** callId → offers not yet answered: who and when. */
  private readonly pending = new Map<string, { kind: string; userId: number | null; atMs: number }[]>();

  constructor(private readonly src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'pult_process_' });
    new Gauge({
      name: 'pult_calls_waiting', help: 'Callers waiting now (queued or ringing mobiles), by line', labelNames: ['line', 'line_name'], registers,
      collect() { fillCalls(this, src.repo, (s) => s !== 'connected'); },
    });
    new Gauge({
      name: 'pult_calls_active', help: 'Calls connected to someone now, by line', labelNames: ['line', 'line_name'], registers,
      collect() { fillCalls(this, src.repo, (s) => s === 'connected'); },
    });
    new Gauge({
      name: 'pult_pbx_up', help: '1 when the PBX link (ARI or AMI) is connected', labelNames: ['link'], registers,
      collect() {
        this.reset();
        for (const [link, up] of Object.entries(src.pbxLinks())) this.set({ link }, up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'pult_database_bytes', help: 'SQLite database size: page_count × page_size plus the WAL file', registers,
      collect() { this.set(src.repo.databaseBytes()); },
    });
    this.arrived = new Counter({ name: 'pult_calls_arrived_total', help: 'Calls arrived, by line', labelNames: ['line'], registers });
    this.offers = new Counter({ name: 'pult_offers_total', help: 'Calls offered to an operator or a mobile', labelNames: ['kind'], registers });
    this.offerResults = new Counter({ name: 'pult_offer_results_total', help: 'Offers ended, by result (answered, noanswer, busy, failed, cancelled, lost)', labelNames: ['kind', 'result'], registers });
    this.ended = new Counter({ name: 'pult_calls_ended_total', help: 'Calls ended, by outcome (answered, overflowed-answered, abandoned, unanswered)', labelNames: ['outcome'], registers });
    this.answerLatency = new Histogram({
      name: 'pult_offer_to_answer_seconds', help: 'From an offer to its answer, in seconds', labelNames: ['via'], registers,
      buckets: [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60],
    });
    this.recordingFailures = new Counter({ name: 'pult_recording_fetch_failures_total', help: 'Recordings that could not be fetched or stored', registers });
    this.webhooks = new Counter({ name: 'pult_webhooks_total', help: 'Cloud-PBX webhooks answered, accepted (2xx) or refused (4xx/5xx), by HTTP status', labelNames: ['vendor', 'result', 'status'], registers });
  }

  /** Subscribes to the call events; returns the unsubscribe. */
  attach(events: CallEvents): () => void {
    const ms = (iso: string) => Date.parse(iso);
    const onArrived: Parameters<typeof events.on<'call.arrived'>>[1] = (e) => this.arrived.inc({ line: e.lineId === null ? 'none' : String(e.lineId) });
    const onOffered: Parameters<typeof events.on<'call.offered'>>[1] = (e) => {
      this.offers.inc({ kind: e.kind });
      let list = this.pending.get(e.callId);
      if (!list) {
        if (this.pending.size >= MAX_TRACKED_CALLS) this.pending.delete(this.pending.keys().next().value!);
        this.pending.set(e.callId, (list = []));
      }
      list.push({ kind: e.kind, userId: e.userId, atMs: ms(e.at) });
    };
    const onOfferEnded: Parameters<typeof events.on<'call.offerEnded'>>[1] = (e) => this.offerResults.inc({ kind: e.kind, result: e.result });
    const onAnswered: Parameters<typeof events.on<'call.answered'>>[1] = (e) => {
      const list = this.pending.get(e.callId);
      const kind = e.via === 'mobile' ? 'mobile' : 'operator';
      // The latest offer to whoever answered (several may ring at once).
      const offer = list?.filter((o) => o.kind === kind && (e.userId === null || o.userId === e.userId)).at(-1);
      if (offer) {
        const sec = (ms(e.at) - offer.atMs) / 1000;
        if (Number.isFinite(sec) && sec >= 0) this.answerLatency.observe({ via: e.via }, sec);
      }
      this.pending.delete(e.callId);
    };
    const onEnded: Parameters<typeof events.on<'call.ended'>>[1] = (e) => {
      this.ended.inc({ outcome: e.outcome });
      this.pending.delete(e.callId);
    };
    const onRecordingFailed = () => this.recordingFailures.inc();
    events.on('call.arrived', onArrived);
    events.on('call.offered', onOffered);
    events.on('call.offerEnded', onOfferEnded);
    events.on('call.answered', onAnswered);
    events.on('call.ended', onEnded);
    events.on('recording.failed', onRecordingFailed);
    return () => {
      events.off('call.arrived', onArrived);
      events.off('call.offered', onOffered);
      events.off('call.offerEnded', onOfferEnded);
      events.off('call.answered', onAnswered);
      events.off('call.ended', onEnded);
      events.off('recording.failed', onRecordingFailed);
    };
  }

  /** A webhook answered with `status`. */
  webhook(vendor: string, status: number): void {
    this.webhooks.inc({ vendor, result: status < 400 ? 'accepted' : 'refused', status: String(status) });
  }
}

function fillCalls(g: Gauge<'line' | 'line_name'>, repo: MetricsRepository, pick: (state: string) => boolean): void {
  g.reset();
  for (const l of repo.lines()) g.set({ line: String(l.id), line_name: l.name }, 0);
  for (const r of repo.openCalls()) {
    if (!pick(r.state)) continue;
    g.inc({ line: r.lineId === null ? 'none' : String(r.lineId), line_name: r.lineName ?? '' }, r.n);
  }
}
