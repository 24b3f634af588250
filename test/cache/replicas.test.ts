// Two API replicas (two apps, each with its own connection pool, as two processes would have) over one
// PostgreSQL database and one Redis: cached figures are shared through Redis, an import through one
// replica invalidates the other's cache, and a key's rate limit is counted once across both. Needs
// TEST_DATABASE_URL and a Redis (TEST_REDIS_URL, REDIS_URL or redis://127.0.0.1:6379); skipped with a
// notice otherwise. Every Redis key it writes has a prefix unique to the run, and is deleted at the end.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResultCache } from '../../src/app.js';
import { createKey } from '../../src/core/access/keys.js';
import { settleSnapshots } from '../../src/core/reporting/snapshots.js';
import { type Database, openDatabase } from '../../src/db.js';
import { createServerDatabase, loadMigrations, redisAnswers, TEST_DATABASE_URL, TEST_REDIS_URL } from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import {
  cacheApp,
  D1,
  enrolmentsCsv,
  expected,
  FIGURES,
  FIRST,
  factsStatements,
  loadFixture,
  recorded,
  SECOND,
} from './fixture.js';

const REDIS_URL = TEST_REDIS_URL;

const redisUp = await redisAnswers(REDIS_URL);
const skipReason = !TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is not set'
  : !redisUp
    ? `Redis does not answer at ${REDIS_URL}`
    : undefined;
if (skipReason)
  console.warn(`test/cache/replicas.test.ts skipped: ${skipReason} (two replicas need PostgreSQL and Redis).`);

const PREFIX = `cype:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;

describe.skipIf(Boolean(skipReason))('two replicas over one PostgreSQL and one Redis', () => {
  let drop: () => Promise<void>;
  let dbA: Database;
  let dbB: Database;
  let a: ReturnType<typeof cacheApp>;
  let b: ReturnType<typeof cacheApp>;
  let redis: Redis;
  const keyIds: string[] = [];

  beforeAll(async () => {
    const server = await createServerDatabase('cype_cache');
    drop = server.drop;
    await loadMigrations({ url: server.url }, [pilotSql()]);
    dbA = await openDatabase({ url: server.url });
    dbB = await openDatabase({ url: server.url });
    await loadFixture(dbA);
    const opts = { cache: { redisUrl: REDIS_URL, prefix: PREFIX }, redisUrl: REDIS_URL, ratePerWindow: 3 };
    a = cacheApp(dbA, opts);
    b = cacheApp(dbB, opts);
    await Promise.all([appResultCache.get(a.app)?.ready(), appResultCache.get(b.app)?.ready()]);
    redis = new Redis(REDIS_URL);
    // The rate limiters connect on their own: give them the moment the caches took.
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    await a?.app.dispose();
    await b?.app.dispose();
    if (redis) {
      const patterns = [`${PREFIX}*`, ...keyIds.map((id) => `cype:*:key:${id}`)];
      for (const match of patterns) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      }
      await redis.quit();
    }
    await dbB?.close();
    await dbA?.close();
    await drop?.();
  });

  it('share cached figures, and an import through one replica invalidates the other', async () => {
    const before = expected(FIRST);
    expect(
      await factsStatements(dbB, async () =>
        expect((await b.figures()).enrolments.value.value.value).toBe(before.kent),
      ),
    ).toHaveLength(2);
    // A has never computed them: it reads B's entries from Redis.
    expect(
      await factsStatements(dbA, async () =>
        expect((await a.figures()).enrolments.value.value.value).toBe(before.kent),
      ),
    ).toEqual([]);
    expect(appResultCache.get(a.app)?.stats().sharedHits).toBeGreaterThan(0);
    expect(await factsStatements(dbB, () => b.figures())).toEqual([]);

    await a.upload('cache-test/enrolments', enrolmentsCsv(SECOND));
    // A materialises the new figures in the background after answering; wait for it, so B's next request
    // reads them (a request during the refresh would compute them: the same figures, more slowly).
    await settleSnapshots(dbA);

    // By hand: D1 gains P11 and P12 (3 → 5), Kent 10 → 12, completed 7 → 9 (P02 now completed, P11).
    const after = expected(FIRST, SECOND);
    expect(after).toMatchObject({ kent: 12, completed: 9 });
    const missesBefore = appResultCache.get(b.app)!.stats().misses;
    const statements = await recorded(dbB, async () => {
      const f = await b.figures();
      expect(f.enrolments.value.value.value).toBe(after.kent);
      expect(f.enrolments.value.breakdown.find((d) => d.code === D1)?.value.value).toBe(5);
      expect(f.completion.value.numerator.value).toBe(after.completed);
    });
    // B's cached entries were invalidated: it loaded the figures again, from the refreshed snapshots.
    expect(appResultCache.get(b.app)!.stats().misses).toBeGreaterThan(missesBefore);
    expect(statements.filter((s) => s.includes('FROM "FactsSnapshot"')).length).toBeGreaterThan(0);
    expect(statements.filter((s) => s.includes('WITH facts AS'))).toEqual([]);
    // And A, whose own memory held the old entries, reads B's new ones.
    expect(
      await factsStatements(dbA, async () => expect((await a.figures()).enrolments.value.value.value).toBe(12)),
    ).toEqual([]);
  });

  it("count a key's requests once across both replicas", async () => {
    const { key, row } = await createKey(dbA, { name: 'replica rate test', role: 'PUBLIC' });
    keyIds.push(row.id);
    const variables = { area: 'E10000016', period: '2016/2017|AY' };
    const statuses = [];
    for (const replica of [a, b, a, b]) statuses.push((await replica.post(FIGURES, variables, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
