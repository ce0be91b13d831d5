/**
 * Byte offset → 1-based line number for a stream, fed chunk by chunk before the CSV parser sees it.
 * csv-parse's own `lines` counter drifts on CRLF inside quoted fields; byte offsets (its `bytes`)
 * do not, so line numbers are computed from the newline positions here instead. Lookups may come
 * out of order (csv-parse reports skipped rows before the buffered records are consumed), hence a
 * binary search over all newline offsets rather than a moving cursor.
 */
export class LineIndex {
  private newlines = new Float64Array(1024);
  /** blank[k] = 1 when the line ended by newlines[k] is empty (or just "\r"). */
  private blank = new Uint8Array(1024);
  private count = 0;
  private seen = 0;
  private lastByte = -1;

  feed(chunk: Uint8Array): void {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      if (this.count === this.newlines.length) this.grow();
      const at = this.seen + i;
      const lineStart = this.count > 0 ? (this.newlines[this.count - 1] ?? -1) + 1 : 0;
      const before = i > 0 ? chunk[i - 1] : this.lastByte;
      const length = at - lineStart;
      this.blank[this.count] = length === 0 || (length === 1 && before === 13) ? 1 : 0;
      this.newlines[this.count++] = at;
    }
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1] ?? -1;
    this.seen += chunk.length;
  }

  get bytes(): number {
    return this.seen;
  }

  /** Line of the byte at `offset` (0-based): one more than the newlines before it. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.newlines[mid] ?? Infinity) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  /** The first line at or after `line` that is not blank (the parser skips blank lines). */
  nonBlankFrom(line: number): number {
    let k = line;
    while (k - 1 < this.count && this.blank[k - 1] === 1) k++;
    return k;
  }

  private grow(): void {
    const newlines = new Float64Array(this.newlines.length * 2);
    newlines.set(this.newlines);
    this.newlines = newlines;
    const blank = new Uint8Array(this.blank.length * 2);
    blank.set(this.blank);
    this.blank = blank;
  }
}
