import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyCommand } from '../../../server/rooms/index.ts';
import { RoomTimers } from '../../../server/services/room-timers.ts';
import { roomWith, T0 } from '../rooms/fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomTimers', () => {
  it('re-arms a timer that fires before its deadline by the wall clock, then fires once', () => {
    vi.useFakeTimers();
    let wall = T0;
    const due: string[] = [];
    const timers = new RoomTimers({ hostGraceMs: 1000, roomIdleMs: 100, now: () => wall, onDue: (id) => void due.push(id) });
    // Nobody connected: the room is due for its idle close 100 ms from now.
    const empty = applyCommand(roomWith(), { type: 'disconnect', actorId: 'h' }, T0).room;
    timers.schedule(empty);
    wall = T0 + 99; // the timer runs 100 ms, the wall clock only 99
    vi.advanceTimersByTime(100);
    expect(due).toEqual([]);
    wall = T0 + 100;
    vi.advanceTimersByTime(1);
    expect(due).toEqual(['r1']);
    timers.clearAll();
  });
});
