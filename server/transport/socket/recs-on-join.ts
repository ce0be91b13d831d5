/**
 * A member who joins gets the room's current recommendations at once: the latest push when there is one,
 * otherwise the learner computes them. Sent after the join's ack, to this socket only; a learner that is
 * off or busy only means the member waits for the next push.
 */
import type { RecommendationService } from '../../learning/types.ts';
import type { Logger } from '../../logger.ts';
import type { ChorusSocket } from './handle.ts';

export function sendRecsOnJoin(socket: ChorusSocket, recs: RecommendationService, roomId: string, log: Logger): void {
  setImmediate(() => {
    const cached = recs.cached(roomId);
    if (cached) {
      socket.emit('recs:updated', { ...cached, learned: [] });
      return;
    }
    recs.forRoom(roomId).then(
      (e) => {
        if (socket.connected && socket.data.roomId === roomId) socket.emit('recs:updated', e);
      },
      (err: unknown) => log.debug({ err, roomId }, 'no recommendations for a joining member yet'),
    );
  });
}
