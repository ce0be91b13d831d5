import { describe, expect, it } from 'vitest';
import { buildModels, parseModelList } from '../../../ml/models/registry.ts';

describe('registry', () => {
  it('builds the named models in order', async () => {
    const models = await buildModels(['popularity', 'item-knn', 'item-cosine', 'mf-bpr', 'content', 'group-room']);
    expect(models.map((m) => m.name)).toEqual(['popularity', 'item-knn', 'item-cosine', 'mf-bpr', 'content', 'group-room']);
  });

  it('loads NeuMF lazily through its factory', async () => {
    const [m] = await buildModels(['neumf'], { seed: 2, overrides: { neumf: { entityCapacity: 64, itemCapacity: 64 } } });
    expect(m?.name).toBe('neumf');
    expect(m?.score({ userId: 'nobody' }, ['a', 'b'])).toHaveLength(2);
  });

  it('rejects unknown names', () => {
    expect(parseModelList('item-knn, popularity')).toEqual(['item-knn', 'popularity']);
    expect(() => parseModelList('item-knn,bogus')).toThrow(/bogus/);
  });
});
