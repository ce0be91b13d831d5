import { describe, expect, it } from 'vitest';
import { buildModels, parseModelList } from '../../../ml/models/registry.ts';

describe('registry', () => {
  it('builds the named models in order', async () => {
    const models = await buildModels(['popularity', 'item-knn', 'ease', 'mf-bpr', 'content', 'group-room']);
    expect(models.map((m) => m.name)).toEqual(['popularity', 'item-knn', 'ease', 'mf-bpr', 'content', 'group-room']);
  });

  it('rejects unknown names', () => {
    expect(parseModelList('item-knn, popularity')).toEqual(['item-knn', 'popularity']);
    expect(() => parseModelList('item-knn,bogus')).toThrow(/bogus/);
  });
});
