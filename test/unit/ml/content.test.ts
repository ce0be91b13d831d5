import { describe, expect, it } from 'vitest';
import { Content } from '../../../ml/models/content.ts';
import type { TrackFeatures } from '../../../ml/types.ts';
import { ix } from './fixtures.ts';

/** Loud, fast tracks (h*) and quiet, slow ones (q*); one of each nobody has played. */
const catalog: TrackFeatures[] = [
  ...[0, 1, 2, 3].map((i) => ({ id: `h${i}`, genre: 'edm', features: { energy: 0.9 + i * 0.02, tempo: 128 + i, popularity: 50 } })),
  ...[0, 1, 2, 3].map((i) => ({ id: `q${i}`, genre: 'folk', features: { energy: 0.1 + i * 0.02, tempo: 70 + i, popularity: 50 } })),
];

describe('Content', () => {
  it('ranks unplayed tracks by similarity to what the user liked', () => {
    const m = new Content({}, catalog);
    m.update([ix('u', 'h0'), ix('u', 'h1')]);
    const s = m.score({ userId: 'u' }, ['h3', 'q3', 'unknown']);
    expect(s[0]).toBeGreaterThan(s[1] as number);
    expect(s[2]).toBe(0);
  });

  it('negative signals push the profile away', () => {
    const m = new Content({ rate: 0.3 }, catalog);
    m.update([ix('u', 'h0')]);
    const before = m.score({ userId: 'u' }, ['h2'])[0] as number;
    m.update([ix('u', 'h1', { type: 'dislike' }), ix('u', 'h3', { type: 'dislike' })]);
    expect(m.score({ userId: 'u' }, ['h2'])[0]).toBeLessThan(before);
  });

  it('serves a room of new members from the room profile and members with a profile', () => {
    const m = new Content({}, catalog);
    m.update([ix('fan', 'q0'), ix('fan', 'q1')]);
    const s = m.score({ roomId: 'r', members: ['fan', 'newcomer'] }, ['q3', 'h3']);
    expect(s[0]).toBeGreaterThan(s[1] as number);
    m.update([ix('group:r', 'h0', { roomId: 'r', groupLevel: true }), ix('group:r', 'h1', { roomId: 'r', groupLevel: true })]);
    m.update(Array.from({ length: 20 }, () => ix('group:r', 'h2', { roomId: 'r', groupLevel: true })));
    const t = m.score({ roomId: 'r', members: ['fan', 'newcomer'] }, ['q3', 'h3']);
    expect(t[1]).toBeGreaterThan(t[0] as number); // the room's own history now dominates
  });

  it('uses tags, and a fixed vocabulary keeps the columns when the catalog is replaced', () => {
    const tagged: TrackFeatures[] = [
      { id: 'x1', tags: ['jazz', 'smooth'] },
      { id: 'x2', tags: ['jazz'] },
      { id: 'y1', tags: ['metal', 'loud'] },
      { id: 'y2', tags: ['metal'] },
    ];
    const m = new Content({ tagVocabulary: ['jazz', 'metal', 'smooth', 'loud'] }, tagged);
    m.update([ix('u', 'x1')]);
    const s = m.score({ userId: 'u' }, ['x2', 'y2']);
    expect(s[0]).toBeGreaterThan(s[1] as number);
    m.setCatalog([...tagged, { id: 'x3', tags: ['jazz', 'smooth'] }]);
    const t = m.score({ userId: 'u' }, ['x3', 'y1']);
    expect(t[0]).toBeGreaterThan(t[1] as number);
  });
});
