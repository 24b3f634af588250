// The Youth Justice demo seed at demo scale lands on the figures of the seed documents, read through the
// same GraphQL a dashboard uses: round(304 × scale) first-time entrants in 2016/17 against a target of
// 350 × scale for 2017/18; custody exactly round(4% × court disposals) in 2016/17; re-offending built to
// the calibrated rate; over-representation of children in care; fast, deterministic seeding.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { createRng } from '../../src/core/rng.js';
import { DEMO_SCALE, seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { CUSTODY_SHARE, FIRST_TIME_ENTRANTS, FTE_TARGET, REOFFENDING, REOFFENDING_TARGET } from './calibration.js';
import { youthJustice } from './plugin.js';
import { seedYouthJustice } from './seed.js';

let app: TestApp;
let seedMs = 0;
beforeAll(async () => {
  const db = await createTestDatabase();
  const t0 = performance.now();
  await seedDemo(db, [youthJustice], DEMO_SCALE);
  seedMs = performance.now() - t0;
  app = testApp(db, { services: [youthJustice], viewer: ANALYST });
}, 300_000);
afterAll(() => app.db.close());

interface Value {
  value: { value: number | null };
  numerator: { value: number } | null;
  denominator: { value: number } | null;
  target: { value: number } | null;
  status: string;
}
const FIELDS = 'value { value } numerator { value } denominator { value } target { value } status';

describe('demo seed calibration', () => {
  it('first-time entrants: round(304 × scale) in 2016/17, a falling history, the 2018 target of 350 × scale', async () => {
    const r = await app.gql<{ area: { youthJustice: Record<string, Value> } }>(
      `{ area(code: "${KENT}") { youthJustice {
        y2015: firstTimeEntrants(period: "2015/2016|FY") { ${FIELDS} }
        y2016: firstTimeEntrants(period: "2016/2017|FY") { ${FIELDS} }
        y2017: firstTimeEntrants(period: "2017/2018|FY") { ${FIELDS} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const yj = r.data!.area.youthJustice;
    expect(yj.y2016.value.value).toBe(Math.round(304 * DEMO_SCALE));
    expect(yj.y2015.value.value).toBe(Math.round(FIRST_TIME_ENTRANTS[2015] * DEMO_SCALE));
    expect(yj.y2015.value.value).toBeGreaterThan(yj.y2016.value.value as number);
    expect(yj.y2017.target?.value).toBeCloseTo(FTE_TARGET * DEMO_SCALE, 10);
    expect(yj.y2017.status).toBe('GREEN');
  });

  it('custody: exactly round(4% × court disposals) of 2016/17, so within half a disposal of 4%', async () => {
    const r = await app.gql<{ area: { youthJustice: { custodyShare: Value } } }>(
      `{ area(code: "${KENT}") { youthJustice { custodyShare(period: "2016/2017|FY") { ${FIELDS} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const c = r.data!.area.youthJustice.custodyShare;
    const court = c.denominator!.value;
    expect(court).toBeGreaterThanOrEqual(13); // so that 4% is at least one custodial sentence
    expect(CUSTODY_SHARE[2016]).toBe(0.04);
    expect(c.numerator!.value).toBe(Math.round(0.04 * court));
    expect(Math.abs((c.value.value as number) - 4)).toBeLessThanOrEqual(50 / court + 1e-9);
  });

  it('re-offending: near the calibrated rate of each complete year, against the 28% target', async () => {
    const r = await app.gql<{ area: { youthJustice: Record<string, Value> } }>(
      `{ area(code: "${KENT}") { youthJustice {
        y2015: reoffending(period: "2015/2016|FY") { ${FIELDS} }
        y2016: reoffending(period: "2016/2017|FY") { ${FIELDS} }
        y2017: reoffending(period: "2017/2018|FY") { ${FIELDS} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const yj = r.data!.area.youthJustice;
    for (const [field, year] of [
      ['y2015', 2015],
      ['y2016', 2016],
    ] as const) {
      const v = yj[field];
      const cohort = v.denominator!.value;
      // Built to round(rate × cohort) re-offenders, unless more had already re-offended by construction.
      expect(v.numerator!.value).toBeGreaterThanOrEqual(Math.round(REOFFENDING[year] * cohort));
      expect(Math.abs((v.value.value as number) - 100 * REOFFENDING[year])).toBeLessThan(8);
    }
    expect(yj.y2017.target?.value).toBe(REOFFENDING_TARGET);
  });

  it('has a population figure for every district, and a first-time entrant rate per 100,000 from it', async () => {
    const r = await app.gql<{ area: { youthJustice: { firstTimeEntrantsRate: Value } } }>(
      `{ area(code: "${KENT}") { youthJustice { firstTimeEntrantsRate(period: "2016/2017|FY") { ${FIELDS} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const pop = await app.db.prisma.observation.findMany({
      where: { indicatorCode: 'YJ_POPULATION_10_17', periodCode: '2016/2017|FY' },
    });
    expect(pop.map((o) => o.areaCode).sort()).toEqual(KENT_DISTRICTS.map((d) => d.code).sort());
    const population = pop.reduce((s, o) => s + (o.value ?? 0), 0);
    const rate = r.data!.area.youthJustice.firstTimeEntrantsRate;
    expect(rate.denominator!.value).toBe(population);
    expect(rate.value.value).toBeCloseTo((100_000 * Math.round(304 * DEMO_SCALE)) / population, 8);
  });

  it('over-represents children in care among re-offenders, significantly', async () => {
    const r = await app.gql<{
      youthJustice: {
        disproportionality: { groups: { group: string; rri: { value: number | null }; significant: boolean }[] };
      };
    }>(
      `{ youthJustice { disproportionality(cohort: REOFFENDERS, dimension: IN_CARE, period: "2016/2017|FY") {
        groups { group rri { value } significant } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const inCare = r.data!.youthJustice.disproportionality.groups.find((g) => g.group === 'IN_CARE');
    expect(inCare?.rri.value).toBeGreaterThan(2);
    expect(inCare?.significant).toBe(true);
  });

  it('answers the example and partner operations without errors', async () => {
    const dir = youthJustice.operations as string;
    for (const file of [
      'examples/youth-justice-disproportionality.graphql',
      'partners/youth-justice-headlines.graphql',
    ]) {
      const r = await app.gql<Record<string, unknown>>(fs.readFileSync(path.join(dir, file), 'utf8'));
      expect(r.errors, file).toBeUndefined();
      expect(JSON.stringify(r.data)).toMatch(/"formatted":"\d/);
    }
  });

  it('seeds quickly and deterministically', async () => {
    expect(seedMs).toBeLessThan(60_000);
    // The plugin's own part, twice from the same stream on the seeded store (each run rolled back): same
    // rows, in a small part of the whole demo's time.
    const once = async () => {
      let result: { ms: number; rows: string[] } | undefined;
      await app.db.prisma
        .$transaction(async (tx) => {
          await tx.youthJusticeDisposal.deleteMany();
          const t0 = performance.now();
          await seedYouthJustice(tx, createRng(42), DEMO_SCALE, youthJustice);
          const ms = performance.now() - t0;
          const rows = await tx.youthJusticeDisposal.findMany({ orderBy: { id: 'asc' } });
          result = { ms, rows: rows.map((d) => [d.id, d.personId, d.disposedOn.toISOString(), d.disposalType].join()) };
          throw new Error('roll back');
        })
        .catch((e: Error) => {
          if (e.message !== 'roll back') throw e;
        });
      return result!;
    };
    const a = await once();
    const b = await once();
    expect(a.rows.length).toBeGreaterThan(100);
    expect(b.rows).toEqual(a.rows);
    console.log(
      `youth-justice seed: ${a.ms.toFixed(0)} ms for ${a.rows.length} disposals; whole demo ${seedMs.toFixed(0)} ms`,
    );
    expect(a.ms).toBeLessThan(5_000);
  }, 120_000);
});
