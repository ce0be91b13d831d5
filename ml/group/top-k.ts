/**
 * Indices of the k best scores, best first, ties to the lower index, NaN never chosen. O(n log k) with a
 * one-comparison fast path per candidate: sorting 26k scores per request would cost ten times more.
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): number[] {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  if (size === 0) return [];
  // Min-heap (worst on top) of the best `size` indices seen so far. No closures in here: this runs per
  // member per push, and tsx names every closure it creates (a defineProperty per call).
  const heap: number[] = [];
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
        if (!worse(scores, heap[j] as number, heap[p] as number)) break;
        swap(heap, j, p);
        j = p;
      }
    } else {
      heap[0] = i;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < size && worse(scores, heap[l] as number, heap[m] as number)) m = l;
        if (r < size && worse(scores, heap[r] as number, heap[m] as number)) m = r;
        if (m === j) break;
        swap(heap, j, m);
        j = m;
      }
    }
    if (heap.length === size) floor = scores[heap[0] as number] as number;
  }
  // Best first. Lists served are tens long: an insertion sort; longer ones (evaluation) a comparator sort.
  if (heap.length > 64) return heap.sort((a, b) => (worse(scores, a, b) ? 1 : worse(scores, b, a) ? -1 : 0));
  for (let a = 1; a < heap.length; a++) {
    const x = heap[a] as number;
    let b = a - 1;
    while (b >= 0 && worse(scores, heap[b] as number, x)) {
      heap[b + 1] = heap[b] as number;
      b--;
    }
    heap[b + 1] = x;
  }
  return heap;
}

/** Whether candidate a ranks below b: a lower score, or the same score and a later index. */
function worse(scores: ArrayLike<number>, a: number, b: number): boolean {
  const sa = scores[a] as number;
  const sb = scores[b] as number;
  return sa < sb || (sa === sb && a > b);
}

function swap(heap: number[], i: number, j: number): void {
  const t = heap[i] as number;
  heap[i] = heap[j] as number;
  heap[j] = t;
}
