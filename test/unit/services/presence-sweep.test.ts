/**
 * The cluster's presence sweep (server/services/presence-sweep.ts): a member shown connected is marked
 * disconnected only after two sweeps in a row found their socket on no node; a failed question to the
 * cluster decides nothing; a member who is back in between is not marked.
 */
import { describe, expect, it } from 'vitest';
import type { RoomState } from '../../../server/rooms/index.ts';
import { PresenceSweep } from '../../../server/services/presence-sweep.ts';
import { roomWith } from '../rooms/fixtures.ts';

function harness(room: RoomState) {
  let present = new Set<string>(room.members.map((m) => m.userId));
  let failing = false;
  const asked: string[] = [];
  const marked: string[][] = [];
  const presentIn = async (roomId: string): Promise<ReadonlySet<string>> => {
    asked.push(roomId);
    if (failing) throw new Error('timeout reached: only 1 responses received out of 2');
    return present;
  };
  const sweep = new PresenceSweep({
    rooms: {
      openRooms: () => [room],
      current: async () => room,
      // What RoomService does under the room's lock: ask again, mark those still absent.
      disconnectAbsent: async (_roomId, ask, opts) => {
        const now = await ask(room.id);
        const gone = [...(opts.only ?? [])].filter((u) => !now.has(u));
        marked.push(gone);
        return gone.length;
      },
    },
    presentIn,
    // One question for all the rooms, as the cluster is asked.
    presentInRooms: async (roomIds) => new Map(await Promise.all(roomIds.map(async (id) => [id, await presentIn(id)] as const))),
    log: { info: () => undefined, warn: () => undefined },
    intervalMs: 60_000,
  });
  return {
    sweep,
    asked,
    marked,
    setPresent: (users: string[]) => void (present = new Set(users)),
    setFailing: (f: boolean) => void (failing = f),
  };
}

describe('PresenceSweep', () => {
  it('marks a member absent in two sweeps in a row, and only them', async () => {
    const h = harness(roomWith(['a', 'b']));
    h.setPresent(['h', 'b']);
    expect(await h.sweep.runOnce()).toBe(0); // first time absent: only suspected
    expect(h.marked).toEqual([]);
    expect(await h.sweep.runOnce()).toBe(1);
    expect(h.marked).toEqual([['a']]);
  });

  it('does not mark a member who came back between two sweeps', async () => {
    const h = harness(roomWith(['a']));
    h.setPresent(['h']);
    await h.sweep.runOnce();
    h.setPresent(['h', 'a']);
    await h.sweep.runOnce();
    h.setPresent(['h']);
    expect(await h.sweep.runOnce()).toBe(0); // absent again, but the strike count started over
    expect(await h.sweep.runOnce()).toBe(1);
  });

  it('decides nothing while the cluster does not answer, and keeps what it suspected', async () => {
    const h = harness(roomWith(['a']));
    h.setPresent(['h']);
    await h.sweep.runOnce();
    h.setFailing(true);
    expect(await h.sweep.runOnce()).toBe(0);
    expect(h.marked).toEqual([]);
    h.setFailing(false);
    expect(await h.sweep.runOnce()).toBe(1); // the suspicion from before the outage still counts
  });

  it('leaves rooms where everyone shown connected has a socket alone', async () => {
    const h = harness(roomWith(['a', 'b']));
    for (let i = 0; i < 3; i++) expect(await h.sweep.runOnce()).toBe(0);
    expect(h.marked).toEqual([]);
    expect(h.asked).toEqual(['r1', 'r1', 'r1']); // asked each time, never under the lock
  });
});
