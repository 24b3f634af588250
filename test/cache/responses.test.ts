// The whole-response cache (src/core/access/yoga.ts over src/core/reporting/cache.ts): a repeated aggregate
// query is answered from one cache entry, without executing; any import makes the next one execute again;
// answers never cross between variables or kinds of viewer; the caller's own details (`viewer`) and
// provenance (`imports`) are never served from it. Record-level responses are never cached either: that is
// tested with the audit log in test/access/partner.test.ts.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResultCache } from '../../src/app.js';
import { createKey } from '../../src/core/access/keys.js';
import { runImport } from '../../src/core/ingest/run.js';
import { ensureCatalogue } from '../../src/core/reporting/catalogue.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import {
  cacheApp,
  D1,
  D2,
  enrolmentsCsv,
  enrolmentsFormat,
  expected,
  FIGURES,
  FIRST,
  importCsv,
  loadFixture,
  pilot,
  recorded,
  SECOND,
} from './fixture.js';

let db: Database;
let app: ReturnType<typeof cacheApp>;
const KENT = 'E10000016';
beforeAll(async () => {
  db = await createTestDatabase([pilotSql()]);
  await loadFixture(db);
  app = cacheApp(db, { cache: { redisUrl: null } });
  // The catalogue sync, once per process and database, is a write to Indicator: do it before measuring.
  await ensureCatalogue({ db, services: [pilot] });
});
afterAll(async () => {
  await app?.app.dispose();
  await db?.close();
});

const stats = () => appResultCache.get(app.app)!.stats();
type Reply = Awaited<ReturnType<typeof app.post>>;

/** The reply to `query`, with the cache entries it read and computed and the SQL it ran. */
async function measured(query: string, variables: Record<string, unknown>, key?: string) {
  const before = stats();
  let reply: Reply | undefined;
  const statements = await recorded(db, async () => {
    reply = await app.post(query, variables, key);
  });
  const after = stats();
  expect(reply?.body.errors).toBeUndefined();
  return { body: reply!.body, statements, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

describe('the response cache', () => {
  it('answers a repeated aggregate query from one entry, without executing it', async () => {
    const first = await measured(FIGURES, { area: KENT, period: '2016/2017|AY' });
    expect(first.misses).toBeGreaterThan(1); // the response and the figures it was made of
    const again = await measured(FIGURES, { area: KENT, period: '2016/2017|AY' });
    expect(again.hits).toBe(1);
    expect(again.misses).toBe(0);
    // The only statement: the write counters the entry is keyed by.
    expect(again.statements).toHaveLength(1);
    expect(again.statements[0]).toMatch(/FROM "TableVersion"/);
    expect(again.body).toEqual(first.body);
    const e = expected(FIRST);
    expect(again.body.data?.enrolments.value.value.value).toBe(e.kent);
  });

  it('keeps answers to other variables apart', async () => {
    const kent = await measured(FIGURES, { area: KENT, period: '2016/2017|AY' });
    const d1 = await measured(FIGURES, { area: D1, period: '2016/2017|AY' });
    const d2 = await measured(FIGURES, { area: D2, period: '2016/2017|AY' });
    const e = expected(FIRST);
    expect(kent.body.data?.enrolments.value.value.value).toBe(e.kent);
    expect(d1.body.data?.enrolments.value.value.value).toBe(e.byDistrict[D1]);
    expect(d2.body.data?.enrolments.value.value.value).toBe(e.byDistrict[D2]);
  });

  it('executes again after any import, and answers with the new figures', async () => {
    await measured(FIGURES, { area: KENT, period: '2016/2017|AY' });
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    const after = await measured(FIGURES, { area: KENT, period: '2016/2017|AY' });
    expect(after.misses).toBeGreaterThan(0);
    expect(after.body.data?.enrolments.value.value.value).toBe(expected(FIRST, SECOND).kent);
    expect(after.body.data?.completion.value.numerator.value).toBe(expected(FIRST, SECOND).completed);
  });

  it('never gives one kind of viewer the answer cached for another', async () => {
    const publicKey = (await createKey(db, { name: 'public response test', role: 'PUBLIC' })).key;
    const variables = { area: KENT, period: '2016/2017|AY' };
    const analyst = await measured(FIGURES, variables);
    const open = await measured(FIGURES, variables, publicKey);
    // Districts with 1 to 4 enrolments: an analyst sees the count, the public never does (cell key method).
    const byCode = (b: typeof analyst.body) =>
      new Map(b.data?.enrolments.value.breakdown.map((x) => [x.code, x.value.symbol ?? x.value.value]));
    const small = [...byCode(analyst.body)].filter(([, v]) => typeof v === 'number' && v > 0 && v < 5);
    expect(small.length).toBeGreaterThan(0);
    for (const [code] of small) expect([1, 2, 3, 4]).not.toContain(byCode(open.body).get(code));
  });

  it('never serves the caller’s own details or the import log from it', async () => {
    const a = (await createKey(db, { name: 'analyst one', role: 'DIRECTORATE_ANALYST' })).key;
    const b = (await createKey(db, { name: 'analyst two', role: 'DIRECTORATE_ANALYST' })).key;
    const who = async (key: string) =>
      ((await app.post('{ viewer { name } }', {}, key)).body.data as unknown as { viewer: { name: string } }).viewer
        .name;
    expect(await who(a)).toBe('analyst one');
    expect(await who(b)).toBe('analyst two');
    const IMPORTS = 'query { imports(limit: 1000) { id status } }';
    const count = async () =>
      ((await app.post(IMPORTS, {})).body.data as unknown as { imports: unknown[] }).imports.length;
    const before = await count();
    // A failed import changes no figure (so invalidates nothing) but is one more run in the log.
    const failed = await runImport({
      db,
      format: enrolmentsFormat,
      input: Readable.from([enrolmentsCsv([{ person: 'NOBODY', district: D1, completed: true }])]),
      ranBy: 'responses test',
    });
    expect(failed.status).toBe('FAILED');
    expect(await count()).toBe(before + 1);
  });
});
