// Rate limits a deployment sets in the environment: CYPE_RATE_LIMITS (requests per window by role) and
// CYPE_RATE_WINDOW_SECONDS, refused with a message naming the variable when malformed; and
// CYPE_RATE_PREFIX, which keeps two environments sharing one Redis from counting each other's requests.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, DEFAULT_LIMITS, rateLimitsFromEnv } from '../../src/core/access/limits.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase, redisAnswers, TEST_REDIS_URL } from '../harness.js';
import { accessApp, makeKey } from './helpers.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

describe('rate limits from the environment', () => {
  it('reads requests per role and the window, keeping the defaults of roles not named', () => {
    expect(rateLimitsFromEnv({})).toEqual({});
    expect(rateLimitsFromEnv({ CYPE_RATE_LIMITS: ' PARTNER=30 , PUBLIC=10', CYPE_RATE_WINDOW_SECONDS: '120' })).toEqual(
      {
        rateWindowSeconds: 120,
        ratePerWindow: { PARTNER: 30, PUBLIC: 10 },
      },
    );
  });

  it('refuses malformed values, naming the variable and the part', () => {
    expect(() => rateLimitsFromEnv({ CYPE_RATE_LIMITS: 'PARTNERS=30' })).toThrow(/CYPE_RATE_LIMITS.*"PARTNERS=30"/);
    expect(() => rateLimitsFromEnv({ CYPE_RATE_LIMITS: 'PUBLIC=ten' })).toThrow(/CYPE_RATE_LIMITS.*"PUBLIC=ten"/);
    expect(() => rateLimitsFromEnv({ CYPE_RATE_LIMITS: 'PUBLIC=0' })).toThrow(/at least 1/);
    expect(() => rateLimitsFromEnv({ CYPE_RATE_WINDOW_SECONDS: '1.5' })).toThrow(/CYPE_RATE_WINDOW_SECONDS.*"1.5"/);
  });

  it('applies them to requests: the request past a role’s limit is refused with 429', async () => {
    const saved = process.env.CYPE_RATE_LIMITS;
    process.env.CYPE_RATE_LIMITS = 'PARTNER=3';
    const app = accessApp(db, { access: { jwt: false, redisUrl: null } });
    try {
      const partner = await makeKey(db, { role: 'PARTNER', name: 'rate env partner' });
      const analyst = await makeKey(db, { role: 'DIRECTORATE_ANALYST', name: 'rate env analyst' });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.post({ query: '{ periods { code } }' }, partner)).status);
      // Partners run persisted operations only (400), but each request still counts.
      expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
      expect(statuses[3]).toBe(429);
      // Another role keeps its default allowance.
      expect(DEFAULT_LIMITS.ratePerWindow.DIRECTORATE_ANALYST).toBeGreaterThan(4);
      for (let i = 0; i < 4; i++) expect((await app.post({ query: '{ periods { code } }' }, analyst)).status).toBe(200);
    } finally {
      await app.dispose();
      if (saved === undefined) delete process.env.CYPE_RATE_LIMITS;
      else process.env.CYPE_RATE_LIMITS = saved;
    }
  });
});

const REDIS_URL = TEST_REDIS_URL;
const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp)
  console.warn(`test/access/rate-env.test.ts: Redis does not answer at ${REDIS_URL}; the prefix test is skipped.`);

describe.skipIf(!redisUp)('rate limiter prefix in a shared Redis', () => {
  it('counts each prefix apart, and one prefix once', async () => {
    const run = `cype:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
    const a1 = createRateLimiter(60, REDIS_URL, `${run}a:`);
    const a2 = createRateLimiter(60, REDIS_URL, `${run}a:`);
    const b = createRateLimiter(60, REDIS_URL, `${run}b:`);
    const redis = new Redis(REDIS_URL);
    try {
      await Promise.all([a1.ready(), a2.ready(), b.ready()]);
      expect(await a1.consume('requests', 'key:1', 1)).toBeUndefined();
      // The same environment (prefix) on another replica: the allowance is already used.
      expect(await a2.consume('requests', 'key:1', 1)).toMatchObject({ retryAfterSeconds: expect.any(Number) });
      // Another environment sharing the Redis: its own allowance.
      expect(await b.consume('requests', 'key:1', 1)).toBeUndefined();
    } finally {
      const keys = await redis.keys(`${run}*`);
      if (keys.length) await redis.del(...keys);
      await Promise.all([a1.close(), a2.close(), b.close()]);
      redis.disconnect();
    }
  });
});
