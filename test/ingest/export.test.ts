// The CSV export (GET /export/indicators.csv) on the demo people with a test indicator counted from
// records: figures checked against SQL, partners' suppression, argument errors, and the round trip (the
// export imported as core/ees into an empty store exports again to the very same file).

import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMap } from '../../src/core/ingest/export.js';
import { findImportFormat, runImport } from '../../src/core/ingest/index.js';
import type { ServicePlugin } from '../../src/core/plugin.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Database } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';

const FSM_SHARE: IndicatorDefinition = {
  code: 'TEST_FSM_SHARE',
  name: 'Children eligible for free school meals (test)',
  description: 'Share of children with characteristics in the year who are FSM eligible; home district.',
  unit: 'PERCENT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  dimensions: ['SEX', 'EAL', 'ETHNICITY_MAJOR'],
  facts: (period) => Prisma.sql`
    SELECT pc."personId" AS person_id, p."districtCode" AS district_code,
           CASE WHEN pc.fsm THEN 1 ELSE 0 END::numeric AS numerator, 1::numeric AS denominator
    FROM "PersonCharacteristic" pc JOIN "Person" p ON p.id = pc."personId"
    WHERE pc."periodCode" = ${period.code}`,
};
const plugin: ServicePlugin = {
  key: 'exportTest',
  slug: 'export-test',
  title: 'Export test',
  register() {},
  indicators: [FSM_SHARE],
  cohorts: [],
  importers: [],
};

const KENT = 'E10000016';
const MAIDSTONE = 'E07000110';
const PERIOD = '2016/2017|AY';
const query = `/export/indicators.csv?codes=TEST_FSM_SHARE&area=${KENT},${MAIDSTONE}&period=${encodeURIComponent(PERIOD)}`;

let db: Database;
let analyst: TestApp;
let partner: TestApp;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db, [], 0.004);
  analyst = testApp(db, { services: [plugin] });
  partner = testApp(db, { services: [plugin], viewer: { role: 'PARTNER', services: [], name: 'partner' } });
});
afterAll(() => db.close());

const rowsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true });

async function get(app: TestApp, path = query) {
  const res = await app.fetch(path);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('GET /export/indicators.csv', () => {
  it('writes the EES layout with the engine’s figures, which match SQL over the records', async () => {
    const r = await get(analyst);
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/csv; charset=utf-8');
    const rows = rowsOf(r.text);
    expect(Object.keys(rows[0]).slice(0, 4)).toEqual([
      'time_period',
      'time_identifier',
      'geographic_level',
      'country_code',
    ]);
    const kent = rows.find(
      (x) => x.new_la_code === KENT && x.geographic_level === 'Local authority' && x.breakdown === 'TOTAL',
    )!;
    expect(kent).toMatchObject({ time_period: '201617', time_identifier: 'Academic year', region_code: 'E12000008' });
    const [sql] = await db.prisma.$queryRaw<{ n: number; d: number }[]>`
      SELECT SUM(CASE WHEN pc.fsm THEN 1 ELSE 0 END)::float8 AS n, COUNT(*)::float8 AS d
      FROM "PersonCharacteristic" pc JOIN "Person" p ON p.id = pc."personId" JOIN "Area" a ON a.code = p."districtCode"
      WHERE pc."periodCode" = ${PERIOD} AND a."parentCode" = ${KENT}`;
    expect(Number(kent.TEST_FSM_SHARE_numerator)).toBe(sql.n);
    expect(Number(kent.TEST_FSM_SHARE_denominator)).toBe(sql.d);
    expect(Number(kent.TEST_FSM_SHARE)).toBeCloseTo((100 * sql.n) / sql.d, 10);

    const [girls] = await db.prisma.$queryRaw<{ n: number; d: number }[]>`
      SELECT SUM(CASE WHEN pc.fsm THEN 1 ELSE 0 END)::float8 AS n, COUNT(*)::float8 AS d
      FROM "PersonCharacteristic" pc JOIN "Person" p ON p.id = pc."personId"
      WHERE pc."periodCode" = ${PERIOD} AND p."districtCode" = ${MAIDSTONE} AND p.sex = 'FEMALE'`;
    const maidstoneGirls = rows.find((x) => x.lad_code === MAIDSTONE && x.breakdown === 'FEMALE')!;
    expect(maidstoneGirls).toMatchObject({
      geographic_level: 'Local authority district',
      new_la_code: KENT,
      breakdown_topic: 'SEX',
    });
    expect([
      Number(maidstoneGirls.TEST_FSM_SHARE_numerator),
      Number(maidstoneGirls.TEST_FSM_SHARE_denominator),
    ]).toEqual([girls.n, girls.d]);
    // One row per area x breakdown: no duplicates, and only the indicator's dimensions.
    const keys = rows.map((x) => `${x.lad_code || x.new_la_code}|${x.breakdown}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(rows.map((x) => x.breakdown_topic))).toEqual(new Set(['Total', 'SEX', 'EAL', 'ETHNICITY_MAJOR']));
  });

  it('applies the caller’s disclosure rules: partners never get a count from 1 to 4 (cell key method)', async () => {
    const open = rowsOf((await get(analyst)).text);
    const suppressed = rowsOf((await get(partner)).text);
    expect(suppressed).toHaveLength(open.length);
    const small = open.filter((x) => {
      const n = Number(x.TEST_FSM_SHARE_numerator);
      return n >= 1 && n <= 4;
    });
    expect(small.length).toBeGreaterThan(0);
    for (const x of small) {
      const twin = suppressed.find(
        (y) => y.lad_code === x.lad_code && y.new_la_code === x.new_la_code && y.breakdown === x.breakdown,
      )!;
      expect(['1', '2', '3', '4']).not.toContain(twin.TEST_FSM_SHARE_numerator);
    }
    expect(suppressed.some((x) => ['1', '2', '3', '4'].includes(x.TEST_FSM_SHARE_numerator))).toBe(false);
    // Published counts are perturbed, so some differ from the analyst's exact ones.
    expect(suppressed.some((y, i) => y.TEST_FSM_SHARE_numerator !== open[i].TEST_FSM_SHARE_numerator)).toBe(true);
    expect(open.some((x) => x.TEST_FSM_SHARE === 'c')).toBe(false);
  });

  it('names the argument at fault', async () => {
    const bad = await get(
      analyst,
      `/export/indicators.csv?codes=NOPE&area=${KENT}&period=${encodeURIComponent(PERIOD)}`,
    );
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ argument: 'codes' });
    const area = await get(
      analyst,
      `/export/indicators.csv?codes=TEST_FSM_SHARE&area=E99999999&period=${encodeURIComponent(PERIOD)}`,
    );
    expect(JSON.parse(area.text)).toMatchObject({ argument: 'area' });
    const period = await get(analyst, `/export/indicators.csv?codes=TEST_FSM_SHARE&area=${KENT}&period=2016`);
    expect(JSON.parse(period.text)).toMatchObject({ argument: 'period' });
  });

  it('round trip: the export imported as core/ees into an empty store exports the same figures', async () => {
    const csv = (await get(analyst)).text;
    const other = await createTestDatabase();
    try {
      const report = await runImport({
        db: other,
        format: findImportFormat('core/ees', [])!,
        input: Readable.from([Buffer.from(csv)]),
        fileName: 'indicators.csv',
        ranBy: 'vitest',
        options: { map: JSON.stringify(exportMap([{ ...FSM_SHARE, service: plugin.key }])) },
      });
      expect(report.errors).toEqual([]);
      expect(report.inserted).toBe(rowsOf(csv).length);
      // The same service, now without record-level facts: its figures can only come from the import.
      const published = testApp(other, { services: [{ ...plugin, indicators: [] }] });
      expect((await get(published)).text).toBe(csv);
    } finally {
      await other.close();
    }
  });
});
