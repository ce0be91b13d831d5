import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreeStream } from '../../../ml/eval/agree-stream.ts';
import { parseTest, readAgree } from '../../../ml/eval/read-agree.ts';

function dataset(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'agree-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readAgree', () => {
  it('reads CRLF files, a third column and non-dense ids', () => {
    const dir = dataset({
      'groupMember.txt': '100 7,9000\r\n205 9000,31\r\n',
      'groupRatingTrain.txt': '100 55 5\r\n205 1200 1\r\n',
      'userRatingTrain.txt': '7 55 120\n9000 1200 3\n31 77\n',
      'groupRatingTest.txt': '100 1200\r\n',
      'groupRatingNegative.txt': '(100,1200) 55 77 1200\r\n',
      'userRatingTest.txt': '7 1200\n',
      'userRatingNegative.txt': '(7,1200)\t55\t77\n',
    });
    const d = readAgree(dir);
    expect(d.members.get('205')).toEqual(['9000', '31']);
    expect(d.groupTrain[0]).toEqual({ id: '100', item: '55', value: 5 });
    expect(d.userTrain[2]).toEqual({ id: '31', item: '77' });
    expect(d.groupTest).toEqual([{ id: '100', item: '1200', negatives: ['55', '77', '1200'] }]);
    expect(d.userTest).toEqual([{ id: '7', item: '1200', negatives: ['55', '77'] }]);
    const stream = agreeStream(d, 'file', 1);
    expect(stream).toHaveLength(5);
    const w = stream.map((x) => x.weight);
    // Log-scaled into [0.5, 1.5]: the largest value of each file gets 1.5.
    expect(w[0]).toBeCloseTo(1.5, 12);
    expect(w[2]).toBeUndefined();
    const g = stream[3]!;
    expect(g.roomId).toBe('100');
    expect(g.groupLevel).toBe(true);
    expect(g.members).toEqual(['7', '9000']);
  });

  it('rejects a negative line that does not match its test line', () => {
    expect(() => parseTest(['1 2'], ['(1,3) 4 5'])).toThrow(/test line 1/);
  });

  it('shuffled streams are a permutation and reproducible', () => {
    const dir = dataset({
      'groupMember.txt': '1 1,2\n',
      'groupRatingTrain.txt': '1 10\n1 11\n',
      'userRatingTrain.txt': '1 10\n2 11\n2 12\n',
    });
    const d = readAgree(dir);
    const a = agreeStream(d, 'shuffle', 3).map((x) => x.id);
    expect(agreeStream(d, 'shuffle', 3).map((x) => x.id)).toEqual(a);
    expect([...a].sort()).toEqual(agreeStream(d, 'file', 3).map((x) => x.id).sort());
  });
});
