/**
 * The one place that decides what plays next. The snapshot, the wire scores and every advance read
 * orderedQueue(), so what members see is what will play.
 *
 * - fifo: the stored order (insertion order plus host moves).
 * - votes: net votes desc, then member picks before autofill, then addedAt, then stored order.
 * - round-robin: one track per adder per round; adders whose pick played least recently go first
 *   (never played = first), ties by the stored order of their first item. Autofill items come after
 *   every member pick.
 */
import type { QueueItem, RoomState } from './types.ts';

export const netVotes = (item: QueueItem): number => {
  let sum = 0;
  for (const v of Object.values(item.votes)) sum += v;
  return sum;
};

export function orderedQueue(room: RoomState): QueueItem[] {
  switch (room.settings.queueMode) {
    case 'fifo':
      return [...room.queue];
    case 'votes':
      return byVotes(room.queue);
    case 'round-robin':
      return roundRobin(room.queue, room.lastPlayedAt ?? {});
  }
}

function byVotes(queue: readonly QueueItem[]): QueueItem[] {
  const indexed = queue.map((item, index) => ({ item, index, net: netVotes(item) }));
  indexed.sort(
    (a, b) =>
      b.net - a.net ||
      Number(a.item.autofill) - Number(b.item.autofill) ||
      a.item.addedAt - b.item.addedAt ||
      a.index - b.index,
  );
  return indexed.map((x) => x.item);
}

function roundRobin(queue: readonly QueueItem[], lastPlayedAt: Record<string, number>): QueueItem[] {
  const byAdder = new Map<string, QueueItem[]>();
  for (const item of queue) {
    if (item.autofill) continue;
    const list = byAdder.get(item.addedBy);
    if (list) list.push(item);
    else byAdder.set(item.addedBy, [item]);
  }
  // Array.prototype.sort is stable, so equal recency keeps first-item order.
  const adders = [...byAdder.keys()].sort(
    (a, b) => (lastPlayedAt[a] ?? -Infinity) - (lastPlayedAt[b] ?? -Infinity),
  );
  const total = countPicks(byAdder);
  const out: QueueItem[] = [];
  for (let round = 0; out.length < total; round++) {
    for (const adder of adders) {
      const item = byAdder.get(adder)?.[round];
      if (item) out.push(item);
    }
  }
  for (const item of queue) if (item.autofill) out.push(item);
  return out;
}

function countPicks(byAdder: Map<string, QueueItem[]>): number {
  let n = 0;
  for (const list of byAdder.values()) n += list.length;
  return n;
}

/**
 * The wire `score`: the ordering key, higher plays sooner. In votes mode it is the net vote count; in
 * fifo and round-robin it is position-based (queue length − index). Either way higher plays sooner;
 * the wire list is already in play order (equal vote scores keep their list order).
 */
export function queueScores(room: RoomState, ordered: readonly QueueItem[]): number[] {
  if (room.settings.queueMode === 'votes') return ordered.map(netVotes);
  return ordered.map((_, i) => ordered.length - i);
}
