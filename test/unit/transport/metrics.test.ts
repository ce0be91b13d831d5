import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../server/observability/metrics.ts';
import { FakeRecommendationService } from '../../helpers/fake-recs.ts';
import { httpFixture } from './http-fixtures.ts';

/** The value of one sample line, e.g. `chorus_ensemble_weight{model="mf"}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('exposes the learner, push, event-loop and room metrics in Prometheus text format', async () => {
    const f = httpFixture();
    f.recs.push('room-1', 3);
    f.recs.push('room-1', 40);
    const res = await f.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'chorus_prequential_hit_rate',
      'chorus_ensemble_weight',
      'chorus_learner_lag_interactions',
      'chorus_learner_lag_seconds',
      'chorus_learner_interactions_received_total',
      'chorus_learner_interactions_learned_total',
      'chorus_event_loop_delay_seconds',
      'chorus_recs_push_latency_seconds',
      'chorus_socket_event_duration_seconds',
      'chorus_rooms_open',
      'chorus_room_members_connected',
      'chorus_model_info',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'chorus_prequential_hit_rate{model="ensemble"}')).toBe(0.25);
    // A model without a test yet has no series rather than a fake 0.
    expect(text).not.toContain('chorus_prequential_hit_rate{model="neumf"}');
    expect(sample(text, 'chorus_ensemble_weight{model="mf"}')).toBe(0.6);
    expect(sample(text, 'chorus_learner_lag_interactions')).toBe(20);
    expect(sample(text, 'chorus_learner_lag_seconds')).toBe(1.5);
    expect(sample(text, 'chorus_learner_interactions_received_total')).toBe(120);
    expect(sample(text, 'chorus_learner_interactions_learned_total')).toBe(100);
    expect(sample(text, 'chorus_rooms_open')).toBe(1);
    expect(sample(text, 'chorus_room_members_connected')).toBe(2);
    expect(sample(text, 'chorus_recs_push_latency_seconds_count')).toBe(2);
    expect(sample(text, 'chorus_recs_push_latency_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'chorus_recs_push_latency_seconds_bucket{le="0.05"}')).toBe(2);
    for (const q of ['0.5', '0.99', '1']) expect(text).toContain(`chorus_event_loop_delay_seconds{quantile="${q}"}`);
    expect(text).toContain('chorus_model_info{version="2.100",backend="cpu"} 1');
  });

  it('follows the learner between scrapes (counters restart with a restarted learner)', async () => {
    const f = httpFixture();
    await f.get('/metrics');
    f.recs.status_ = { ...f.recs.status_, received: 5, learned: 5, lag: 0, lagMs: 0, weights: { popularity: 1 } };
    const text = await (await f.get('/metrics')).text();
    expect(sample(text, 'chorus_learner_interactions_received_total')).toBe(5);
    expect(sample(text, 'chorus_learner_lag_interactions')).toBe(0);
    expect(text).not.toContain('chorus_ensemble_weight{model="mf"}');
  });
});

describe('createMetrics', () => {
  it('gives each app its own registry, and close() stops listening to pushes', async () => {
    const recs = new FakeRecommendationService();
    const a = createMetrics({ recs, rooms: () => 1, members: () => 1 });
    const b = createMetrics({ recs, rooms: () => 7, members: () => 9 });
    expect(a.registry).not.toBe(b.registry);
    expect(sample(await b.render(), 'chorus_rooms_open')).toBe(7);
    expect(recs.listenerCount()).toBe(2);
    a.close();
    b.close();
    expect(recs.listenerCount()).toBe(0);
  });
});
