/**
 * How well each member has been served so far in a listening session. Each time the room plays (or is
 * recommended) an item, record every present member's normalised score of it (0 = their least liked
 * candidate, 1 = their favourite); a member's satisfaction is the (optionally decayed) mean of those.
 * The fair strategy reads it to lift whoever has been served worst.
 */

export interface FairnessOptions {
  /**
   * Weight kept by a member's past each time something new is recorded for them (1 = plain mean over the
   * session; 0.8 ≈ the last five items matter most, so old grievances fade).
   */
  decay?: number;
}

export interface FairnessJSON {
  decay: number;
  members: Array<[string, { sum: number; weight: number; rounds: number }]>;
}

export class FairnessState {
  readonly decay: number;
  private readonly members = new Map<string, { sum: number; weight: number; rounds: number }>();

  constructor(opts: FairnessOptions = {}) {
    const decay = opts.decay ?? 1;
    if (!(decay > 0 && decay <= 1)) throw new Error(`FairnessState decay must be in (0, 1], got ${decay}`);
    this.decay = decay;
  }

  /** Record one played item: `memberScoresOfItem[i]` is member `memberIds[i]`'s normalised score (0..1) of it. */
  record(memberIds: readonly string[], memberScoresOfItem: ArrayLike<number>): void {
    if (memberIds.length !== memberScoresOfItem.length) throw new Error('record: one score per member expected');
    memberIds.forEach((id, i) => {
      const s = clamp01(memberScoresOfItem[i] ?? 0);
      const m = this.members.get(id) ?? { sum: 0, weight: 0, rounds: 0 };
      m.sum = m.sum * this.decay + s;
      m.weight = m.weight * this.decay + 1;
      m.rounds++;
      this.members.set(id, m);
    });
  }

  /** Mean (decayed) satisfaction 0..1, or undefined for a member nothing was recorded for yet. */
  satisfaction(memberId: string): number | undefined {
    const m = this.members.get(memberId);
    return m && m.weight > 0 ? m.sum / m.weight : undefined;
  }

  /** How many items were recorded for the member. */
  rounds(memberId: string): number {
    return this.members.get(memberId)?.rounds ?? 0;
  }

  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** Forget a member (left the room) or everyone (a new session). */
  reset(memberId?: string): void {
    if (memberId === undefined) this.members.clear();
    else this.members.delete(memberId);
  }

  toJSON(): FairnessJSON {
    return { decay: this.decay, members: [...this.members].map(([id, m]) => [id, { ...m }]) };
  }

  static fromJSON(j: FairnessJSON): FairnessState {
    const f = new FairnessState({ decay: j.decay });
    for (const [id, m] of j.members) f.members.set(id, { ...m });
    return f;
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
