/**
 * Reader for the AGREE / ConsRec group-recommendation format (Mafengwo, CAMRa2011, …):
 *   groupMember.txt          `gid m1,m2,...`
 *   {group,user}RatingTrain  `id item [value]`   (every listed pair is a positive; value may weight it)
 *   {group,user}RatingTest   `id item`           (one held-out item per row)
 *   {group,user}RatingNegative `(id,item) n1 … n100` (line i pairs with test line i)
 * Ids are kept as strings (integers, but not dense); LF and CRLF both work; any whitespace separates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rating {
  id: string;
  item: string;
  /** Third column when present (a rating or a count). */
  value?: number;
}

export interface TestRow {
  id: string;
  item: string;
  negatives: string[];
}

export interface AgreeData {
  members: Map<string, string[]>;
  groupTrain: Rating[];
  userTrain: Rating[];
  groupTest: TestRow[];
  userTest: TestRow[];
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function parseMembers(lines: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines) {
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const members = (m[2] as string)
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    out.set(m[1] as string, members);
  }
  return out;
}

export function parseRatings(lines: readonly string[]): Rating[] {
  const out: Rating[] = [];
  for (const line of lines) {
    const f = line.split(/[\s,]+/);
    if (f.length < 2) continue;
    const r: Rating = { id: f[0] as string, item: f[1] as string };
    if (f.length >= 3) {
      const v = Number(f[2]);
      if (Number.isFinite(v)) r.value = v;
    }
    out.push(r);
  }
  return out;
}

/** Pair test lines with negative lines; the `(id,item)` prefix wins when the test file is absent. */
export function parseTest(testLines: readonly string[] | null, negativeLines: readonly string[]): TestRow[] {
  const rows: TestRow[] = [];
  negativeLines.forEach((line, n) => {
    const m = /^\(\s*([^,\s)]+)\s*,\s*([^,\s)]+)\s*\)\s*(.*)$/.exec(line);
    let id: string;
    let item: string;
    let rest: string;
    if (m !== null) {
      id = m[1] as string;
      item = m[2] as string;
      rest = m[3] as string;
    } else {
      // Tolerate a plain `id item n1 n2 …` line.
      const f = line.split(/\s+/);
      id = f[0] as string;
      item = f[1] as string;
      rest = f.slice(2).join(' ');
    }
    const t = testLines?.[n];
    if (t !== undefined) {
      const [tid, titem] = t.split(/[\s,]+/);
      if (tid !== id || titem !== item) {
        throw new Error(`negative line ${n + 1} is for (${id},${item}) but test line ${n + 1} is (${tid},${titem})`);
      }
    }
    const negatives = rest.split(/[\s,]+/).filter((s) => s.length > 0);
    rows.push({ id, item, negatives });
  });
  return rows;
}

function optional(dir: string, name: string): string[] | null {
  const p = join(dir, name);
  return existsSync(p) ? readLines(p) : null;
}

export function readAgree(dir: string): AgreeData {
  const need = (name: string): string[] => {
    const lines = optional(dir, name);
    if (lines === null) throw new Error(`${join(dir, name)} is missing`);
    return lines;
  };
  const test = (kind: 'group' | 'user'): TestRow[] => {
    const neg = optional(dir, `${kind}RatingNegative.txt`);
    if (neg === null) return [];
    return parseTest(optional(dir, `${kind}RatingTest.txt`), neg);
  };
  return {
    members: parseMembers(need('groupMember.txt')),
    groupTrain: parseRatings(need('groupRatingTrain.txt')),
    userTrain: parseRatings(optional(dir, 'userRatingTrain.txt') ?? []),
    groupTest: test('group'),
    userTest: test('user'),
  };
}
