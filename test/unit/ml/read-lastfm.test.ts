import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstTagEvents, readLastfm, TagHistory, topTags } from '../../../ml/eval/read-lastfm.ts';

function dataset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lastfm-'));
  writeFileSync(
    join(dir, 'user_taggedartists.dat'),
    [
      'userID\tartistID\ttagID\tday\tmonth\tyear',
      '2\t52\t13\t1\t4\t2009',
      '2\t52\t15\t1\t4\t2009',
      '2\t60\t13\t1\t1\t2008',
      '3\t52\t13\t1\t1\t1956',
      '3\t70\t15\t1\t5\t2009',
      '3\t52\t15\t1\t6\t2009',
      '2\t52\t13\t1\t7\t2010',
    ].join('\n'),
  );
  // ISO-8859-1: "Café" with é as the single byte 0xE9.
  writeFileSync(join(dir, 'tags.dat'), Buffer.concat([Buffer.from('tagID\ttagValue\n13\tcaf'), Buffer.from([0xe9]), Buffer.from('\n15\trock\n')]));
  writeFileSync(join(dir, 'artists.dat'), 'id\tname\turl\tpictureURL\n52\tA\tu\tp\n60\tB\tu\tp\n70\tC\tu\tp\n');
  return dir;
}

describe('readLastfm', () => {
  it('drops bogus years, orders by date, decodes tags as ISO-8859-1', () => {
    const d = readLastfm(dataset());
    expect(d.dropped).toBe(1);
    expect(d.assignments.map((a) => `${a.userId}:${a.artistId}`)).toEqual(['2:60', '2:52', '2:52', '3:70', '3:52', '2:52']);
    expect(d.tags.get('13')).toBe('café');
    expect(topTags(d, 1)).toEqual(['café']);
  });

  it('the event stream keeps the first tagging of each (user, artist)', () => {
    const ev = firstTagEvents(readLastfm(dataset()).assignments);
    expect(ev.map((a) => `${a.userId}:${a.artistId}`)).toEqual(['2:60', '2:52', '3:70', '3:52']);
  });

  it('tag history only includes assignments strictly before the time asked for', () => {
    const d = readLastfm(dataset());
    const h = new TagHistory(d, ['52', '60', '70']);
    expect(h.advance(Date.UTC(2009, 3, 1))).toBe(true); // takes 2008-01 only
    const cat = h.catalog();
    expect(cat.find((t) => t.id === '60')?.tags).toEqual(['café']);
    expect(cat.find((t) => t.id === '52')?.tags).toEqual([]);
    expect(h.advance(Date.UTC(2009, 3, 1))).toBe(false);
    h.advance(Date.UTC(2011, 0, 1));
    expect(h.catalog().find((t) => t.id === '52')?.tags).toEqual(['café', 'rock']);
  });
});
