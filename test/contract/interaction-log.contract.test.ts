/**
 * The InteractionLog seam's contract, run over every implementation where their semantics overlap:
 * delivery in publish order, non-empty batches handled one at a time, a failing handler neither reaches
 * the publisher nor stops later batches, close refuses further publishes.
 * (They differ on purpose elsewhere: the Redis log retries a failed batch, the memory log drops it.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../../ml/types.ts';
import { MemoryInteractionLog } from '../../server/realtime/memory-interaction-log.ts';
import { RedisInteractionLog } from '../../server/realtime/redis-interaction-log.ts';
import type { InteractionLog } from '../../server/services/types.ts';
import { dropKeysAndClose, interaction, openTestRedis, quietLog, uniqueName, until } from '../helpers/redis.ts';
import { requireService } from '../helpers/services.ts';

const redis = requireService('redis');

interface Made {
  log: InteractionLog;
  cleanup(): Promise<void>;
}

const implementations: { name: string; enabled: boolean; make(): Promise<Made> }[] = [
  {
    name: 'MemoryInteractionLog',
    enabled: true,
    async make() {
      const log = new MemoryInteractionLog(quietLog);
      return { log, cleanup: () => log.close() };
    },
  },
  {
    name: 'RedisInteractionLog',
    enabled: Boolean(redis.url),
    async make() {
      const client = await openTestRedis(redis.url ?? '');
      const stream = uniqueName('contract');
      const log = new RedisInteractionLog({
        redis: client,
        log: quietLog,
        stream,
        blockMs: 100,
        claimIdleMs: 200,
        claimIntervalMs: 100,
        closeTimeoutMs: 500,
      });
      return {
        log,
        async cleanup() {
          await log.close();
          await dropKeysAndClose(client, stream);
        },
      };
    },
  },
];

const ids = (batches: readonly (readonly Interaction[])[]): string[] => batches.flat().map((r) => r.id);

for (const impl of implementations) {
  describe.skipIf(!impl.enabled)(`InteractionLog contract: ${impl.name}`, () => {
    let made: Made | undefined;
    const open = async (): Promise<InteractionLog> => {
      made = await impl.make();
      return made.log;
    };
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('delivers every record in publish order, in non-empty batches handled one at a time', async () => {
      const log = await open();
      const batches: (readonly Interaction[])[] = [];
      let inFlight = 0;
      let overlapped = false;
      log.subscribe(async (batch) => {
        if (++inFlight > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 5));
        batches.push(batch);
        inFlight--;
      });
      const published = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      await log.publish(published.slice(0, 3).map((id) => interaction(id)));
      await log.publish([interaction('d')]);
      await log.publish(published.slice(4).map((id) => interaction(id)));
      await until(() => ids(batches).length >= published.length, 'all records');
      expect(ids(batches)).toEqual(published);
      expect(batches.every((b) => b.length > 0)).toBe(true);
      expect(overlapped).toBe(false);
      expect(batches[0]?.[0]).toEqual(interaction('a'));
    });

    it('a failing handler does not reach the publisher and does not stop later batches', async () => {
      const log = await open();
      let calls = 0;
      const seen = new Set<string>();
      log.subscribe((batch) => {
        if (++calls === 1) throw new Error('boom');
        for (const r of batch) seen.add(r.id);
      });
      await expect(log.publish([interaction('first')])).resolves.toBeUndefined();
      await until(() => calls >= 1, 'the failing call');
      await log.publish([interaction('later-1'), interaction('later-2')]);
      await until(() => seen.has('later-1') && seen.has('later-2'), 'later batches');
    });

    it('publishing nothing is a no-op', async () => {
      const log = await open();
      await expect(log.publish([])).resolves.toBeUndefined();
    });

    it('close resolves with a subscriber attached and refuses further publishes with UNAVAILABLE', async () => {
      const log = await open();
      const seen: string[] = [];
      log.subscribe((batch) => void seen.push(...batch.map((r) => r.id)));
      await log.publish([interaction('before')]);
      await until(() => seen.includes('before'), 'delivery before close');
      await log.close();
      await expect(log.publish([interaction('after')])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(seen).toEqual(['before']);
    });
  });
}
