// After every (re)connect to the PBX: Asterisk does not replay what we
// missed, so we read its channels and bridges and bring our records in line.
// Calls that are up stay up; calls waiting are re-adopted; calls that ended
// while we were away are closed once; nothing is counted twice.
import type { Logger } from '../../log.js';
import type { Clock } from '../../clock.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { CallRouter } from './router.js';
import { trunkEndpoint } from '../../telephony/ari/endpoints.js';
import { callIdOfBridge, callIdOfOfferLeg } from '../../telephony/ari/names.js';

export interface ResyncReport {
  endpoints: number;
  keptConnected: number;
  readopted: number;
  endedWhileAway: number;
  adoptedNew: number;
  strayLegsHungUp: number;
  bridgesDestroyed: number;
}

export class Resync {
  constructor(
    private readonly pbx: PbxPort,
    private readonly router: CallRouter,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly operators: OperatorService,
    private readonly recordings: RecordingService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: { app: string; trunkEndpoint: string; fallbackTimeoutSec: number },
  ) {}

  /** Pushes every operator's endpoint and the dialplan fallback numbers to the PBX. */
  async provision(): Promise<number> {
    const specs = this.operators.endpointSpecs();
    for (const s of specs) await this.pbx.upsertEndpoint(s);
    const numbers = this.lines.allOverflowNumbers();
    if (numbers.length > 0) {
      await this.pbx.setGlobalVar('PULT_FALLBACK_DIAL', numbers.map((n) => trunkEndpoint(n, this.opts.trunkEndpoint)).join('&'));
      await this.pbx.setGlobalVar('PULT_FALLBACK_TIMEOUT', String(this.opts.fallbackTimeoutSec));
    }
    return specs.length;
  }

  async run(): Promise<ResyncReport> {
    const report: ResyncReport = { endpoints: 0, keptConnected: 0, readopted: 0, endedWhileAway: 0, adoptedNew: 0, strayLegsHungUp: 0, bridgesDestroyed: 0 };
    report.endpoints = await this.provision();
    const channels = await this.pbx.listChannels();
    const bridges = await this.pbx.listBridges();
    const alive = new Map(channels.map((c) => [c.id, c]));

    // Callers still in an entry menu (no call record yet) whose channel is gone.
    await this.router.entryMenusGone(new Set(alive.keys()));

    // Only the calls Pult controls over ARI: an observed call (AMI, a cloud
    // PBX's webhooks) was never on this Asterisk and is none of our business.
    for (const call of this.calls.open('ari')) {
      // Offers whose leg vanished while we were away.
      for (const o of this.calls.openOffers(call.id)) {
        if (!alive.has(o.channelId)) await this.router.offerLost(o.channelId);
      }
      const fresh = this.calls.get(call.id);
      if (!fresh || fresh.state === 'ended') continue;
      if (!alive.has(fresh.callerChannelId)) {
        await this.router.endWhileAway(fresh);
        report.endedWhileAway++;
        continue;
      }
      if (fresh.state === 'connected') {
        if (!fresh.answeredChannelId || !alive.has(fresh.answeredChannelId)) {
          await this.router.endWhileAway(fresh);
          await this.pbx.hangup(fresh.callerChannelId).catch(() => undefined);
          report.endedWhileAway++;
        } else {
          if (fresh.answeredBy !== null && fresh.answeredVia === 'console') {
            const op = this.operators.get(fresh.answeredBy);
            if (op && (op.activity !== 'oncall' || op.activityCallId !== fresh.id)) this.operators.setActivity(fresh.answeredBy, 'oncall', fresh.id);
          }
          report.keptConnected++;
        }
        continue;
      }
      // Waiting: a leg may have answered while we were away.
      const answered = this.calls.openOffers(fresh.id).map((o) => alive.get(o.channelId)).find((c) => c?.state === 'Up');
      if (answered) {
        await this.router.answeredWhileAway(answered, fresh.id);
        report.keptConnected++;
        continue;
      }
      await this.router.readoptWaiting(fresh);
      report.readopted++;
    }

    // Channels that entered our app while we could not record them.
    for (const c of channels) {
      if (c.dialplanApp !== 'Stasis') continue;
      const [app, kind, did] = c.dialplanAppData.split(',');
      if (app !== this.opts.app) continue;
      if (kind === 'inbound' && !this.calls.byCallerChannel(c.id) && !this.router.inEntryMenu(c.id)) {
        this.logger.warn('adopting a call that arrived while Pult was away', { channelId: c.id, did });
        await this.router.onInbound(c, did ?? '', c.creationTime ? new Date(c.creationTime).toISOString() : undefined);
        report.adoptedNew++;
      }
    }
    // Our offer legs that belong to no open call.
    for (const c of channels) {
      const legOf = callIdOfOfferLeg(c.id);
      if (!legOf) continue;
      const offer = this.calls.offerByChannel(c.id);
      const call = this.calls.get(legOf);
      const inUse = call && call.state !== 'ended' && (offer?.endedAt === null || call.answeredChannelId === c.id);
      if (!inUse) {
        await this.pbx.hangup(c.id).catch(() => undefined);
        report.strayLegsHungUp++;
      }
    }
    // Bridges of calls that are over (their recording finishes when destroyed).
    for (const b of bridges) {
      const bridgeOf = callIdOfBridge(b.id);
      if (!bridgeOf) continue;
      const call = this.calls.get(bridgeOf);
      if (!call || call.state === 'ended') {
        await this.pbx.destroyBridge(b.id).catch(() => undefined);
        report.bridgesDestroyed++;
      }
    }
    // Operators the system still has busy with calls that are gone.
    const now = this.clock.now().getTime();
    for (const op of this.operators.list()) {
      if (op.activity === 'idle') continue;
      const call = op.activityCallId ? this.calls.get(op.activityCallId) : null;
      if (op.activity === 'wrapup' && op.wrapupUntil) {
        const left = new Date(op.wrapupUntil).getTime() - now;
        if (left <= 0) this.operators.setActivity(op.userId, 'idle', null);
        else this.router.armWrapup(op.userId, op.activityCallId ?? '', left);
        continue;
      }
      if (!call || call.state === 'ended') this.operators.setActivity(op.userId, 'idle', null);
    }
    this.recordings.fetchPending();
    await this.router.dispatch();
    return report;
  }
}
