/**
 * The HTTP app alone, without a port, a database or the learner: a stub database that knows a few
 * users, a stub room service that knows a few codes, and the FakeRecommendationService test double.
 */
import { afterAll } from 'vitest';
import type { Database } from '../../../db/repositories/types.ts';
import { createAuth } from '../../../server/auth.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/logger.ts';
import { createMetrics, type Metrics } from '../../../server/observability/metrics.ts';
import { MemoryInteractionLog } from '../../../server/realtime/memory-interaction-log.ts';
import type { RoomService, RoomSummary } from '../../../server/services/types.ts';
import { createHttpApp } from '../../../server/transport/http/api.ts';
import { FakeRecommendationService } from '../../helpers/fake-recs.ts';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const SECRET = 'test-secret-that-is-long-enough-000';

const opened: Metrics[] = [];
afterAll(() => {
  for (const m of opened.splice(0)) m.close();
});

export function httpFixture(opts: { adminToken?: string | undefined } = {}) {
  const config = loadConfig({}, { logLevel: 'silent', secret: SECRET, adminToken: opts.adminToken });
  const log = createLogger(config);
  const auth = createAuth(SECRET);
  const users = new Set(['u1', 'u2']);
  const db = {
    kind: 'pglite',
    ping: async () => true,
    repos: {
      users: {
        get: async (id: string) => (users.has(id) ? { id, displayName: id, createdAt: 0, preferences: {} } : null),
      },
    },
  } as unknown as Database;
  const summaries = new Map<string, RoomSummary>([
    ['ABC123', { roomId: 'room-1', code: 'ABC123', name: 'Friday', memberCount: 2, nowPlaying: null }],
  ]);
  const rooms = {
    summaryByCode: async (code: string) => summaries.get(code) ?? null,
    openRoomCount: () => summaries.size,
  } as unknown as RoomService;
  const recs = new FakeRecommendationService();
  const metrics = createMetrics({ recs, rooms: () => summaries.size, members: () => 2 });
  opened.push(metrics);
  const interactionLog = new MemoryInteractionLog(log);
  const app = createHttpApp({
    config,
    db,
    log,
    auth,
    interactionLog,
    rooms,
    realtime: 'memory',
    joinUrl: (code) => `http://localhost/?room=${code}`,
    recs,
    metrics,
  });
  return {
    app,
    recs,
    metrics,
    token: (userId: string) => auth.issue(userId, userId),
    get: (path: string, headers: Record<string, string> = {}) => app.request(path, { headers }),
    post: (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, {
        method: 'POST',
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The `{error:{code}}` of a response, asserting its status. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}
