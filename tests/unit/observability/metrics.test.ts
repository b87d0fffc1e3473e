import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { CallEvents } from '../../../src/telephony/events.js';
import { MetricsRepository, PultMetrics } from '../../../src/features/metrics/index.js';

async function value(m: PultMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name || x.name === name.replace(/_(sum|count)$/, ''));
  const v = (metric?.values as { value: number; labels: Record<string, string | number>; metricName?: string }[] | undefined)?.find((s) =>
    (s.metricName ?? name) === name && Object.entries(labels).every(([k, l]) => String(s.labels[k]) === l) && Object.keys(s.labels).length === Object.keys(labels).length);
  return v?.value;
}

describe('metrics fed by call events', () => {
  const setup = () => {
    const db = openDb(':memory:');
    const events = new CallEvents();
    const metrics = new PultMetrics({ repo: new MetricsRepository(db), pbxLinks: () => ({ ari: true }) });
    const detach = metrics.attach(events);
    return { db, events, metrics, detach };
  };

  it('counts offers and their results, and measures offer → answer from the answering user’s offer', async () => {
    const { events, metrics } = setup();
    events.emit('call.offered', { callId: 'c1', kind: 'operator', userId: 7, target: 'op7', at: '2026-03-10T06:15:00.000Z' });
    events.emit('call.offered', { callId: 'c1', kind: 'operator', userId: 8, target: 'op8', at: '2026-03-10T06:15:01.000Z' });
    events.emit('call.offerEnded', { callId: 'c1', kind: 'operator', userId: 8, result: 'cancelled', at: '2026-03-10T06:15:04.000Z' });
    events.emit('call.answered', { callId: 'c1', userId: 7, via: 'console', at: '2026-03-10T06:15:04.000Z' });
    events.emit('call.offerEnded', { callId: 'c1', kind: 'operator', userId: 7, result: 'answered', at: '2026-03-10T06:15:04.000Z' });
    events.emit('call.offered', { callId: 'c2', kind: 'mobile', userId: null, target: '79990000001', at: '2026-03-10T06:20:00.000Z' });
    events.emit('call.offerEnded', { callId: 'c2', kind: 'mobile', userId: null, result: 'noanswer', at: '2026-03-10T06:20:30.000Z' });
    events.emit('call.ended', { callId: 'c2', outcome: 'unanswered', reason: 'x', at: '2026-03-10T06:20:30.000Z' });
    events.emit('recording.failed', { callId: 'c1', error: 'x', at: '2026-03-10T06:21:00.000Z' });
    expect(await value(metrics, 'pult_offers_total', { kind: 'operator' })).toBe(2);
    expect(await value(metrics, 'pult_offers_total', { kind: 'mobile' })).toBe(1);
    expect(await value(metrics, 'pult_offer_results_total', { kind: 'operator', result: 'answered' })).toBe(1);
    expect(await value(metrics, 'pult_offer_results_total', { kind: 'operator', result: 'cancelled' })).toBe(1);
    expect(await value(metrics, 'pult_offer_results_total', { kind: 'mobile', result: 'noanswer' })).toBe(1);
    expect(await value(metrics, 'pult_calls_ended_total', { outcome: 'unanswered' })).toBe(1);
    expect(await value(metrics, 'pult_recording_fetch_failures_total')).toBe(1);
    // Operator 7 was offered at :00 and answered at :04: 4 s (not 3 s from operator 8's offer).
    expect(await value(metrics, 'pult_offer_to_answer_seconds_sum', { via: 'console' })).toBe(4);
    expect(await value(metrics, 'pult_offer_to_answer_seconds_count', { via: 'console' })).toBe(1);
  });

  it('reads open calls by line and the PBX link at scrape time', async () => {
    const { db, metrics } = setup();
    db.prepare("INSERT INTO lines (id, name, ring_timeout_sec, overflow_after_sec) VALUES (5, 'Аварийная', 15, 20), (6, 'Тихая', 15, 20)").run();
    const call = db.prepare("INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, ?, '1', '2', ?, ?, '2026-01-01')");
    call.run('a', 5, 'ch-a', 'waiting');
    call.run('b', 5, 'ch-b', 'overflow');
    call.run('c', 5, 'ch-c', 'connected');
    call.run('d', 5, 'ch-d', 'ended');
    expect(await value(metrics, 'pult_calls_waiting', { line: '5', line_name: 'Аварийная' })).toBe(2);
    expect(await value(metrics, 'pult_calls_active', { line: '5', line_name: 'Аварийная' })).toBe(1);
    expect(await value(metrics, 'pult_calls_waiting', { line: '6', line_name: 'Тихая' })).toBe(0);
    expect(await value(metrics, 'pult_pbx_up', { link: 'ari' })).toBe(1);
  });

  it('stops counting once detached', async () => {
    const { events, metrics, detach } = setup();
    detach();
    events.emit('call.offered', { callId: 'c1', kind: 'operator', userId: 7, target: 'op7', at: '2026-03-10T06:15:00.000Z' });
    expect(await value(metrics, 'pult_offers_total', { kind: 'operator' })).toBeUndefined();
  });
});
