import type { ModelSnapshot } from '../../types.ts';

export function makeSnapshot(model: string, version: number, interactions: number, data: unknown): ModelSnapshot {
  return { header: { model, version, createdAt: Date.now(), interactions }, data };
}

/** Refuse a snapshot written by another model or an unknown format version: restoring it would corrupt state. */
export function checkSnapshot(snapshot: ModelSnapshot, model: string, version: number): void {
  const h = snapshot.header;
  if (h.model !== model) throw new Error(`snapshot is for model '${h.model}', not '${model}'`);
  if (h.version !== version) throw new Error(`snapshot version ${h.version} of '${model}' is not ${version}`);
}
