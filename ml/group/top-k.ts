/**
 * Indices of the k best scores, best first, ties to the lower index, NaN never chosen. O(n log k) with a
 * one-comparison fast path per candidate: sorting 26k scores per request would cost ten times more.
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): number[] {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  if (size === 0) return [];
  // Min-heap (worst on top) of the best `size` indices seen so far.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  const swap = (i: number, j: number): void => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  let floor = -Infinity; // score of the heap's worst once full
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    // Indices arrive in increasing order, so an equal score loses the tie: only a strictly better one enters.
    if (heap.length === size && !(v > floor)) continue;
    if (v !== v || exclude?.has(i)) continue; // NaN
    if (heap.length < size) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!worse(heap[j] as number, heap[p] as number)) break;
        swap(j, p);
        j = p;
      }
    } else {
      heap[0] = i;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < size && worse(heap[l] as number, heap[m] as number)) m = l;
        if (r < size && worse(heap[r] as number, heap[m] as number)) m = r;
        if (m === j) break;
        swap(j, m);
        j = m;
      }
    }
    if (heap.length === size) floor = scores[heap[0] as number] as number;
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
