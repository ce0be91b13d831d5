/**
 * What the composition root hands to createApp. Each seam is opened by main.ts (or a test) from config,
 * so tests can pass in-memory ones.
 */
// Type only (erased): the default path never loads ioredis.
import type { Redis } from 'ioredis';
import type { Database } from '../db/repositories/types.ts';
import type { Auth } from './auth.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { RoomStateStore } from './realtime/room-state-store.ts';
import type { InteractionLog } from './services/types.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  log: Logger;
  auth: Auth;
  interactionLog: InteractionLog;
  /** Expose prom-client's process metrics on /metrics (once per process: main.ts sets it). */
  processMetrics?: boolean | undefined;
  /**
   * Cluster mode (REDIS_URL): the command connection main.ts opened. createApp then uses the socket.io
   * Redis adapter, Redis rate limits and, without a learner thread, RemoteRecommendations. Owned by the caller.
   */
  redis?: Redis | undefined;
  /** Room-state store override (default: Redis when `redis` is set, else this process's memory). */
  roomState?: RoomStateStore | undefined;
}
