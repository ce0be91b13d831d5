import { describe, expect, it } from 'vitest';
import { LagTracker } from '../../../server/learning/lag-tracker.ts';

describe('LagTracker (learner lag for /metrics)', () => {
  const setup = () => {
    let now = 1_000;
    const lag = new LagTracker(1_000, () => now);
    return { lag, at: (t: number) => (now = t) };
  };

  it('reads the lag as of the last report, not as of the time since it', () => {
    const { lag, at } = setup();
    at(1_000);
    lag.post(3);
    at(1_010);
    lag.post(2);
    // The thread had received the first batch when it reported at 1,012; the second was still in transit.
    at(1_020);
    lag.report(3, 1_012);
    at(1_200);
    expect(lag.lagMs()).toBe(2);
    expect(lag.unreceived()).toBe(2);
    at(1_250);
    lag.report(5, 1_240);
    expect(lag.lagMs()).toBe(0);
    // Posted after the last report: not lag until a report says so, however long the cadence.
    at(1_300);
    lag.post(1);
    at(1_490);
    expect(lag.lagMs()).toBe(0);
    expect(lag.unreceived()).toBe(0);
  });

  it('counts the age of the oldest waiting interaction once reports stop', () => {
    const { lag, at } = setup();
    at(1_000);
    lag.report(0, 1_000);
    lag.post(4);
    at(1_900);
    expect(lag.lagMs()).toBe(0);
    expect(lag.unreceived()).toBe(0);
    at(2_500);
    expect(lag.lagMs()).toBe(1_500);
    expect(lag.unreceived()).toBe(4);
    at(4_000);
    expect(lag.lagMs()).toBe(3_000);
  });

  it('starts over for a new thread', () => {
    const { lag, at } = setup();
    lag.post(7);
    at(5_000);
    lag.reset();
    expect(lag.lagMs()).toBe(0);
    expect(lag.unreceived()).toBe(0);
  });
});
