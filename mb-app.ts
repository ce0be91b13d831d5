import { openDb } from './db/client.ts';
import { makeInteraction } from './test/integration/db/fixtures.ts';
const db = await openDb({ dataDir: '/tmp/mbapp' + Date.now() });
for (const n of [1, 5, 20, 50, 1, 5, 20, 50]) {
  const N = 200;
  const t = performance.now();
  for (let i = 0; i < N; i++) await db.repos.interactions.append(Array.from({ length: n }, () => makeInteraction({ roomId: 'r' + (i % 100) })));
  console.log(n, 'rows', ((performance.now() - t) / N).toFixed(3), 'ms');
}
const r = await db.repos.users.create('x');
await db.close();
