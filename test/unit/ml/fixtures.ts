/** Small synthetic streams where the right answer is known. */
import type { Interaction, InteractionType } from '../../../ml/types.ts';

let seq = 0;

export function ix(
  userId: string,
  trackId: string,
  opts: {
    type?: InteractionType;
    roomId?: string | null;
    at?: number;
    hour?: number;
    mood?: string;
    members?: string[];
    groupLevel?: boolean;
    weight?: number;
  } = {},
): Interaction {
  const x: Interaction = {
    id: `t${seq++}`,
    userId,
    roomId: opts.roomId ?? null,
    trackId,
    type: opts.type ?? 'like',
    context: { hour: opts.hour ?? 12, weekday: 2, mood: opts.mood },
    createdAt: opts.at ?? 1_000_000 + seq,
  };
  if (opts.members !== undefined) x.members = opts.members;
  if (opts.groupLevel !== undefined) x.groupLevel = opts.groupLevel;
  if (opts.weight !== undefined) x.weight = opts.weight;
  return x;
}

/**
 * Two taste clusters: users u0..u{n-1} of cluster A like tracks a0..a9, users of cluster B like b0..b9.
 * Each user likes a deterministic subset (all but one, rotating), so every track is liked by most of its
 * cluster and there is a held-out track per user.
 */
export function twoClusters(usersPerCluster = 10): { stream: Interaction[]; heldOut: Map<string, string> } {
  const stream: Interaction[] = [];
  const heldOut = new Map<string, string>();
  for (const cluster of ['a', 'b']) {
    for (let u = 0; u < usersPerCluster; u++) {
      const user = `${cluster}-user${u}`;
      const skip = u % 10;
      heldOut.set(user, `${cluster}${skip}`);
      for (let t = 0; t < 10; t++) if (t !== skip) stream.push(ix(user, `${cluster}${t}`));
    }
  }
  // Interleave the clusters deterministically, like a live stream.
  const a = stream.filter((x) => x.trackId.startsWith('a'));
  const b = stream.filter((x) => x.trackId.startsWith('b'));
  const mixed: Interaction[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== undefined) mixed.push(a[i] as Interaction);
    if (b[i] !== undefined) mixed.push(b[i] as Interaction);
  }
  return { stream: mixed, heldOut };
}

export const A_TRACKS = Array.from({ length: 10 }, (_, i) => `a${i}`);
export const B_TRACKS = Array.from({ length: 10 }, (_, i) => `b${i}`);

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return xs.length === 0 ? 0 : s / xs.length;
}
