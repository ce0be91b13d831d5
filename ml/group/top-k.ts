/** Indices of the k best scores, best first, in O(n log k): sorting 26k scores per request would cost more. */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): number[] {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  if (size === 0) return [];
  // Min-heap of the best `size` seen so far; ties keep the lower index (stable, deterministic).
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] ?? -Infinity;
    const sb = scores[b] ?? -Infinity;
    return sa < sb || (sa === sb && a > b);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[m] ?? 0)) m = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[m] ?? 0)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] ?? 0, heap[i] ?? 0];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (exclude?.has(i) || Number.isNaN(scores[i])) continue;
    if (heap.length < size) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!worse(heap[j] ?? 0, heap[p] ?? 0)) break;
        [heap[j], heap[p]] = [heap[p] ?? 0, heap[j] ?? 0];
        j = p;
      }
    } else if (worse(heap[0] ?? 0, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
