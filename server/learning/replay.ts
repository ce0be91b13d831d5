/**
 * Replay of the stored interaction stream after a position (a snapshot's cursor), a page at a time, into
 * whichever learner is starting. Read on whatever thread owns the database; the learner dedupes by id.
 */
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction } from '../../ml/types.ts';

const PAGE = 2000;

/**
 * Returns how many interactions were handed to `sink`. `createdFrom` (ms) replays only what was stored
 * from then on (`cursor` then counts within that part of the stream).
 */
export async function replayStored(
  db: Database,
  cursor: number,
  sink: (page: Interaction[]) => void,
  opts: { createdFrom?: number } = {},
): Promise<number> {
  let n = 0;
  for (let after = cursor; ; after += PAGE) {
    const page = await db.repos.interactions.list({ after, limit: PAGE, ...opts });
    if (page.length > 0) sink(page);
    n += page.length;
    if (page.length < PAGE) return n;
  }
}
