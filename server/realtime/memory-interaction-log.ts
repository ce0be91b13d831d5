/**
 * The in-process interaction log (the default seam; Redis Streams replace it at scale).
 * publish() resolves as soon as a batch is accepted; each subscriber receives batches asynchronously,
 * strictly in publish order, one at a time. A failing subscriber is logged and keeps receiving later
 * batches: the publisher (an edit already committed and acknowledged) never sees its errors.
 */
import type { Interaction } from '../../ml/types.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { InteractionLog } from '../services/types.ts';

type Handler = (records: readonly Interaction[]) => void | Promise<void>;

interface Subscriber {
  handler: Handler;
  /** Delivery chain: the next batch starts after the previous one settled. */
  tail: Promise<void>;
}

export class MemoryInteractionLog implements InteractionLog {
  readonly kind = 'memory' as const;
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(private readonly log?: Pick<Logger, 'error'>) {}

  async publish(records: readonly Interaction[]): Promise<void> {
    if (this.closed) throw new AppError('UNAVAILABLE', 'interaction log is closed');
    if (records.length === 0) return;
    // Subscribers share one frozen copy: the caller may reuse its array, a consumer may not edit it.
    const batch = Object.freeze([...records]);
    for (const sub of this.subscribers) {
      sub.tail = sub.tail
        .then(() => sub.handler(batch))
        .catch((err: unknown) => this.log?.error({ err }, 'interaction log subscriber failed'));
    }
  }

  subscribe(handler: Handler): () => void {
    const sub: Subscriber = { handler, tail: Promise.resolve() };
    this.subscribers.add(sub);
    return () => {
      this.subscribers.delete(sub);
    };
  }

  /** Resolves once every batch published so far has been handled by every subscriber. */
  async drain(): Promise<void> {
    await Promise.all([...this.subscribers].map((s) => s.tail));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    this.subscribers.clear();
  }
}
