/**
 * The RecommendationService of a node that does not learn (CHORUS_LEARNER=0): rooms, queues and playback
 * work; every recommendation request answers UNAVAILABLE, and no push is ever sent.
 */
import { AppError } from '../errors.ts';
import type { LearnerStatus, ModelVersionInfo, RecommendationService } from './types.ts';

const off = (): Promise<never> => Promise.reject(new AppError('UNAVAILABLE', 'learning is turned off on this server (CHORUS_LEARNER=0)'));

export class DisabledRecommendations implements RecommendationService {
  forRoom = off;
  forUser = off;
  compatibility = off;
  setPreferences = off;
  activate = off;
  snapshot = off;
  cached(): undefined {
    return undefined;
  }
  models(): Promise<ModelVersionInfo[]> {
    return Promise.resolve([]);
  }
  status(): LearnerStatus {
    return { received: 0, learned: 0, lag: 0, lagMs: 0, hitRate: {}, weights: {}, modelVersion: 'off', backend: 'none' };
  }
  onPush(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
