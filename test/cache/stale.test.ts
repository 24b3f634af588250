// A cache that cannot go stale (issue #15, findings 6 and 7). Cached results are keyed by the database's
// own write counters, read at each request, so no invalidation message exists to be lost:
// - without Redis, a write that no app hears of (an import by the command line's function, plain SQL, a
//   second connection) shows in a running app's next answer;
// - a Redis that stops answering (a proxy that stops forwarding without closing its sockets, as a paused
//   process does) is passed over within its command timeout: `{ __typename }` and cached figures answer
//   within the 1 s, /healthz says 200 with `redis: "down"`, and an import made meanwhile is never
//   followed by a stale figure, then or after Redis is back.
// The Redis part needs a Redis (TEST_REDIS_URL, REDIS_URL or redis://127.0.0.1:6379; skipped otherwise) and
// writes keys under a prefix unique to the run, deleted at the end.
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResultCache } from '../../src/app.js';
import { createRateLimiter } from '../../src/core/access/limits.js';
import { ensureCatalogue } from '../../src/core/reporting/catalogue.js';
import { type Database, openDatabase } from '../../src/db.js';
import {
  createServerDatabase,
  createTestDatabase,
  loadMigrations,
  redisAnswers,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import {
  cacheApp,
  D1,
  enrolmentsCsv,
  enrolmentsFormat,
  expected,
  FIRST,
  type Figures,
  importCsv,
  loadFixture,
  pilot,
  SECOND,
} from './fixture.js';

/** What the figures say, in the shape `expected` gives. */
function summary(f: Figures) {
  const byDistrict = Object.fromEntries(f.enrolments.value.breakdown.map((b) => [b.code, b.value.value]));
  return { kent: f.enrolments.value.value.value, d1: byDistrict[D1], completed: f.completion.value.numerator.value };
}
const want = (e: ReturnType<typeof expected>) => ({ kent: e.kent, d1: e.byDistrict[D1], completed: e.completed });

describe('without Redis (each app caches in memory)', () => {
  let db: Database;
  let app: ReturnType<typeof cacheApp>;
  beforeAll(async () => {
    db = await createTestDatabase([pilotSql()]);
    await loadFixture(db);
    app = cacheApp(db, { cache: { redisUrl: null } });
    await ensureCatalogue({ db, services: [pilot] });
  });
  afterAll(async () => {
    await app?.app.dispose();
    await db?.close();
  });

  it('sees an import made by the command line’s import function, which tells no app', async () => {
    expect(summary(await app.figures())).toEqual(want(expected(FIRST)));
    const hits = appResultCache.get(app.app)!.stats().hits;
    expect(summary(await app.figures())).toEqual(want(expected(FIRST)));
    expect(appResultCache.get(app.app)!.stats().hits).toBeGreaterThan(hits); // served from the cache
    // What `cype import` runs (src/cli/import.ts → runImport): no app is attached, no message is sent.
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    expect(summary(await app.figures())).toEqual(want(expected(FIRST, SECOND)));
  });

  it('sees a change written by plain SQL, as psql would make it', async () => {
    const before = summary(await app.figures());
    await db.prisma
      .$executeRaw`UPDATE "ReadingPilotEnrolment" SET completed = NOT completed WHERE "personId" = ${SECOND[0].person}`;
    const after = summary(await app.figures());
    expect(after.completed).toBe((before.completed ?? 0) + (SECOND[0].completed ? -1 : 1));
  });
});

// A second process is another connection to the same PostgreSQL: the first app's next answer shows its import.
describe.skipIf(!TEST_DATABASE_URL)('two connections to one PostgreSQL, without Redis', () => {
  let drop: () => Promise<void>;
  let first: Database;
  let second: Database;
  let app: ReturnType<typeof cacheApp>;
  beforeAll(async () => {
    const server = await createServerDatabase('cype_stale');
    drop = server.drop;
    await loadMigrations({ url: server.url }, [pilotSql()]);
    first = await openDatabase({ url: server.url });
    second = await openDatabase({ url: server.url });
    await loadFixture(first);
    app = cacheApp(first, { cache: { redisUrl: null } });
  });
  afterAll(async () => {
    await app?.app.dispose();
    await second?.close();
    await first?.close();
    await drop?.();
  });

  it('shows an import made through the other connection in the next answer', async () => {
    expect(summary(await app.figures())).toEqual(want(expected(FIRST)));
    expect(summary(await app.figures())).toEqual(want(expected(FIRST)));
    await importCsv(second, enrolmentsFormat, enrolmentsCsv(SECOND));
    expect(summary(await app.figures())).toEqual(want(expected(FIRST, SECOND)));
  });
});

/** A TCP proxy to Redis with a switch: paused, it forwards nothing either way and closes nothing. */
async function pausableProxy(target: URL) {
  let paused = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => (paused ? held.push(() => to.write(chunk)) : to.write(chunk)));
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const write of held.splice(0)) write();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const redisUp = await redisAnswers(TEST_REDIS_URL);
if (!redisUp)
  console.warn(`test/cache/stale.test.ts: the paused-Redis tests are skipped (no Redis at ${TEST_REDIS_URL}).`);

describe.skipIf(!redisUp)('a Redis that stops answering', () => {
  const PREFIX = `cype:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
  let db: Database;
  let proxy: Awaited<ReturnType<typeof pausableProxy>>;
  let app: ReturnType<typeof cacheApp>;

  beforeAll(async () => {
    db = await createTestDatabase([pilotSql()]);
    await loadFixture(db);
    proxy = await pausableProxy(new URL(TEST_REDIS_URL));
    // The cache and the rate limiter both through the proxy, with the default timeout (200 ms).
    app = cacheApp(db, { cache: { redisUrl: proxy.url, prefix: PREFIX }, redisUrl: proxy.url });
    await appResultCache.get(app.app)?.ready();
    await ensureCatalogue({ db, services: [pilot] });
  });

  afterAll(async () => {
    proxy?.resume();
    await app?.app.dispose();
    await proxy?.close();
    const redis = new Redis(TEST_REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    await db?.close();
  });

  const timed = async <T>(fn: () => Promise<T>) => {
    const started = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - started };
  };

  it('is passed over: answers within 1 s, /healthz says 200 and redis "down", and no figure is stale after an import', async () => {
    expect(summary(await app.figures())).toEqual(want(expected(FIRST)));
    expect((await (await app.app.fetch('http://cype.test/healthz')).json()).redis).toBe('up');
    const direct = new Redis(TEST_REDIS_URL);
    const [, stored] = await direct.scan('0', 'MATCH', `${PREFIX}*`, 'COUNT', 10_000);
    await direct.quit();
    expect(stored.length).toBeGreaterThan(0); // the figures are in Redis

    proxy.pause();
    const typename = await timed(() => app.post('{ __typename }', {}));
    expect(typename.value.body).toEqual({ data: { __typename: 'Query' } });
    expect(typename.ms).toBeLessThan(1_000);
    const cached = await timed(() => app.figures());
    expect(summary(cached.value)).toEqual(want(expected(FIRST)));
    expect(cached.ms).toBeLessThan(1_000);
    const health = await timed(() => Promise.resolve(app.app.fetch('http://cype.test/healthz')));
    expect(health.value.status).toBe(200);
    expect(await health.value.json()).toEqual({ status: 'ok', redis: 'down' });
    expect(health.ms).toBeLessThan(1_000);

    // An import while Redis cannot be told anything (there is nothing to tell): the next answer has it.
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    expect(summary(await app.figures())).toEqual(want(expected(FIRST, SECOND)));

    // Redis back, with whatever it held from before the import: still the new figures.
    proxy.resume();
    const deadline = Date.now() + 20_000;
    let state = 'down';
    while (state !== 'up' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await (await app.app.fetch('http://cype.test/healthz')).json()).redis;
    }
    expect(state).toBe('up');
    expect(summary(await app.figures())).toEqual(want(expected(FIRST, SECOND)));
  });

  it('counts rate limits in this process while it is paused, without waiting for it', async () => {
    const limiter = createRateLimiter(60, proxy.url, `${PREFIX}rate:`);
    await limiter.ready();
    proxy.pause();
    try {
      const started = performance.now();
      for (let i = 0; i < 3; i++) expect(await limiter.consume('requests', 'paused-key', 3)).toBeUndefined();
      expect(await limiter.consume('requests', 'paused-key', 3)).toMatchObject({
        retryAfterSeconds: expect.any(Number),
      });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      proxy.resume();
      await limiter.close();
    }
  });
});
