// The cross-request result cache through the HTTP app (src/core/reporting/cache.ts), in memory: a repeat
// request runs no SQL; an import into an indicator's table makes the next request recompute the new
// figure; an import into another table, a dry run and a failed import do not; suppressed and unsuppressed
// figures never cross between viewers, whichever asks first.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResultCache } from '../../src/app.js';
import { createKey } from '../../src/core/access/keys.js';
import { NEIGHBOURS } from '../../src/core/demo-areas.js';
import { neighboursFormat } from '../../src/core/ingest/formats/areas.js';
import { runImport } from '../../src/core/ingest/run.js';
import { settleSnapshots } from '../../src/core/reporting/snapshots.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import {
  AY,
  cacheApp,
  D1,
  D2,
  D3,
  enrolmentsCsv,
  enrolmentsFormat,
  expected,
  FIRST,
  type Figures,
  factsStatements,
  importCsv,
  loadFixture,
  PEOPLE,
  recorded,
  SECOND,
} from './fixture.js';

const KENT = 'E10000016';
let db: Database;
let app: ReturnType<typeof cacheApp>;
let publicKey: string;
beforeAll(async () => {
  db = await createTestDatabase([pilotSql()]);
  await loadFixture(db);
  app = cacheApp(db, { cache: { redisUrl: null } });
  publicKey = (await createKey(db, { name: 'public cache test', role: 'PUBLIC' })).key;
});
afterAll(async () => {
  await app?.app.dispose();
  await db?.close();
});

const byCode = (f: Figures) => new Map(f.enrolments.value.breakdown.map((b) => [b.code, b.value]));

function expectFigures(f: Figures, e: ReturnType<typeof expected>) {
  expect(f.enrolments.value.value).toEqual({ value: e.kent, symbol: null });
  const districts = byCode(f);
  for (const [code, n] of Object.entries(e.byDistrict)) expect(districts.get(code)).toEqual({ value: n, symbol: null });
  expect(f.completion.value.numerator.value).toBe(e.completed);
  expect(f.completion.value.denominator.value).toBe(e.kent);
  expect(f.completion.value.value.value).toBeCloseTo(e.completion, 10);
}

describe('the result cache', () => {
  it('serves a repeated request running no SQL but the read of the write counters', async () => {
    const first = await factsStatements(db, async () => expectFigures(await app.figures(), expected(FIRST)));
    // One grouped statement per indicator x period: enrolments and completion.
    expect(first).toHaveLength(2);
    const again = await recorded(db, async () => expectFigures(await app.figures(), expected(FIRST)));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/FROM "TableVersion"/);
    expect(appResultCache.get(app.app)?.stats().hits).toBeGreaterThan(0);
  });

  it("recomputes after an import into the indicator's table, with the new rows", async () => {
    await app.figures();
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    // By hand: D1 had P01, P02, P03 and gains P11, P12 (5); Kent 12; completed 7 + P02 + P11 = 9.
    const e = expected(FIRST, SECOND);
    expect(e).toMatchObject({ kent: 12, byDistrict: { [D1]: 5, [D2]: 6, [D3]: 1 }, completed: 9 });
    const statements = await factsStatements(db, async () => expectFigures(await app.figures(), e));
    expect(statements).toHaveLength(2);
    expect(await factsStatements(db, () => app.figures())).toEqual([]);
  });

  it('keeps figures cached across an import into an unrelated table', async () => {
    await app.figures();
    // Kent's statistical neighbours in reverse order: a real import, of StatisticalNeighbour only.
    const csv = [
      'la_code,neighbour_code,rank',
      ...NEIGHBOURS.map((n, i) => `E10000016,${n.code},${NEIGHBOURS.length - i}`),
    ];
    const report = await importCsv(db, neighboursFormat, csv.join('\n'));
    expect(report.updated).toBe(NEIGHBOURS.length - (NEIGHBOURS.length % 2));
    expect(await factsStatements(db, () => app.figures())).toEqual([]);
  });

  it('keeps figures cached across a dry run and a failed import of their table', async () => {
    await app.figures();
    const more = enrolmentsCsv([{ person: 'P12', district: D3, completed: true }]);
    const dry = await runImport({
      db,
      format: enrolmentsFormat,
      input: Readable.from([more]),
      ranBy: 't',
      dryRun: true,
    });
    expect(dry.status).toBe('DRY_RUN');
    const bad = enrolmentsCsv([{ person: 'NOBODY', district: D3, completed: true }]);
    const failed = await runImport({ db, format: enrolmentsFormat, input: Readable.from([bad]), ranBy: 't' });
    expect(failed.status).toBe('FAILED');
    const statements = await factsStatements(db, async () =>
      expectFigures(await app.figures(), expected(FIRST, SECOND)),
    );
    expect(statements).toEqual([]);
  });

  it('never gives a suppressed viewer the analyst’s figures, nor the reverse, whichever asks first', async () => {
    const e = expected(FIRST, SECOND);
    // D3 has one enrolment: a count of 1 is shown as `c` under disclosure control.
    expect(e.byDistrict[D3]).toBe(1);
    for (const order of [
      ['analyst', 'public'],
      ['public', 'analyst'],
    ] as const) {
      // Force a recompute, so the first viewer of each round fills the cache.
      await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
      const seen = new Map<string, Figures>();
      const statements = await factsStatements(db, async () => {
        for (const who of order) seen.set(who, await app.figures(who === 'public' ? publicKey : undefined));
      });
      // Current and previous period for each: the analyst's figures need totals only, the suppressed
      // viewer's need the whole table (suppression decisions cover it), so each is its own statement and
      // its own cache entry.
      expect(statements).toHaveLength(4);
      const again = await factsStatements(db, async () => {
        for (const who of order) await app.figures(who === 'public' ? publicKey : undefined);
      });
      expect(again).toEqual([]);
      const analyst = seen.get('analyst')!;
      const suppressed = seen.get('public')!;
      expectFigures(analyst, e);
      // D3's 1 is published by the cell key method: 0 or at least 5, never the analyst's 1.
      const published = byCode(suppressed).get(D3) as { value: number | null; symbol: string | null };
      expect(published.symbol).toBeNull();
      expect(published.value === 0 || (published.value ?? 0) >= 5).toBe(true);
      expect(byCode(analyst).get(D3)).toEqual({ value: 1, symbol: null });
    }
  });
});

describe('cohort figures in the result cache', () => {
  const COHORT = `query ($area: String) { cohort(key: "readingPilot.completers", period: "${AY}", area: $area) {
    size { value } overlap(with: "readingPilot.completers") { count { value } } } }`;
  type Reply = { cohort: { size: { value: number }; overlap: { count: { value: number } } } };
  /** Completers after FIRST then SECOND, by home district (P01–P03 live in D1, the others in D2). */
  function completers(area: string): number {
    const rows = new Map<string, boolean>();
    for (const r of [...FIRST, ...SECOND]) rows.set(r.person, r.completed);
    const home = (p: string) => (PEOPLE.indexOf(p) < 3 ? D1 : D2);
    return [...rows].filter(([p, done]) => done && (area === KENT || home(p) === area)).length;
  }
  const ask = async (area: string) => {
    let data: Reply | undefined;
    const statements = await recorded(db, async () => {
      const r = await app.post(COHORT, { area });
      expect(r.body.errors).toBeUndefined();
      data = r.body.data as unknown as Reply;
    });
    return { data: data!, statements: statements.filter((s) => s.includes('"ReadingPilotEnrolment"')) };
  };

  it('keeps sizes and overlaps until an import of their tables, across areas of the same local authority', async () => {
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    const kent = await ask(KENT);
    expect(kent.statements).toHaveLength(2); // the sizes (every district at once) and the overlap
    expect(kent.data.cohort.size.value).toBe(completers(KENT));
    expect(kent.data.cohort.overlap.count.value).toBe(completers(KENT));
    // Another area is another response, but the same cached tables: no statement reads the cohort again.
    const d1 = await ask(D1);
    expect(d1.statements).toEqual([]);
    expect(d1.data.cohort.size.value).toBe(completers(D1));
    // The cohort declares the tables its members come from: an import of another table keeps its figures…
    const csv = ['la_code,neighbour_code,rank', ...NEIGHBOURS.map((n, i) => `${KENT},${n.code},${i + 1}`)];
    await importCsv(db, neighboursFormat, csv.join('\n'));
    expect((await ask(D1)).statements).toEqual([]);
    // …and an import of its own table recomputes them.
    await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
    const d2 = await ask(D2);
    expect(d2.statements).toHaveLength(2);
    expect(d2.data.cohort.size.value).toBe(completers(D2));
    expect(d2.data.cohort.overlap.count.value).toBe(completers(D2));
  });
});

describe('materialised figures after an upload', () => {
  it('are computed again by importFile, so the next request reads them instead of computing them', async () => {
    // The cross-request cache is off here: only a fresh snapshot can spare the grouped statements.
    const uncached = cacheApp(db, { cache: { enabled: false } });
    try {
      await importCsv(db, enrolmentsFormat, enrolmentsCsv(SECOND));
      // An import through the library function (no refresh): the snapshots are stale, figures computed.
      expect(await factsStatements(db, () => uncached.figures())).not.toEqual([]);
      const moved = { person: 'P09', district: D3, completed: false };
      await uncached.upload('cache-test/enrolments', enrolmentsCsv([moved]));
      // The upload is answered before the refresh, which runs in the background.
      await settleSnapshots(db);
      const statements = await factsStatements(db, async () =>
        expectFigures(await uncached.figures(), expected(FIRST, SECOND, [moved])),
      );
      expect(statements).toEqual([]);
    } finally {
      await uncached.app.dispose();
    }
  });
});
