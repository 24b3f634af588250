// The core formats end to end through runImport on one database: a good file per format, double imports,
// corrected files, a bad file per kind of error (nothing written), BOM/CRLF/quoted fields, dry runs.
// Expected numbers come from the fixture files themselves, read with a plain CSV reader.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/core/ingest/index.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { fixture, importFixture, readCsv, snapshot, tableCounts } from './helpers.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.indicator.create({
    data: {
      code: 'TEST_GLD',
      name: 'Good level of development (test)',
      description: 'Synthetic indicator for target imports.',
      service: 'test',
      unit: 'PERCENT',
      polarity: 'HIGH_IS_GOOD',
      decimalPlaces: 1,
      periodType: 'ACADEMIC_YEAR',
    },
  });
});
afterAll(() => db.close());

const LEVEL: Record<string, string> = {
  NAT: 'NATIONAL',
  National: 'NATIONAL',
  NATIONAL: 'NATIONAL',
  REG: 'REGIONAL',
  Regional: 'REGIONAL',
  REGIONAL: 'REGIONAL',
  LA: 'LOCAL_AUTHORITY',
  'Local authority': 'LOCAL_AUTHORITY',
  LOCAL_AUTHORITY: 'LOCAL_AUTHORITY',
  LAD: 'DISTRICT',
  'Local authority district': 'DISTRICT',
  DISTRICT: 'DISTRICT',
};
const SEX: Record<string, string> = { F: 'FEMALE', M: 'MALE', U: 'UNKNOWN' };
const bool = (s: string) => /^(true|y|1)$/i.test(s.trim());

/** What a re-import of `next` over `prev` must report, by natural key and compared fields. */
function diff(
  prev: Record<string, string>[],
  next: Record<string, string>[],
  key: (r: Record<string, string>) => string,
) {
  const before = new Map(prev.map((r) => [key(r), JSON.stringify(r)]));
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const r of next) {
    const b = before.get(key(r));
    if (b === undefined) inserted++;
    else if (b === JSON.stringify(r)) unchanged++;
    else updated++;
  }
  return { inserted, updated, unchanged };
}

const counts = (r: ImportReport) => ({ inserted: r.inserted, updated: r.updated, unchanged: r.unchanged });

/** A bad file fails with exactly these errors and leaves every table as it was, with a FAILED Import row. */
async function expectRejected(format: string, file: string, errors: { line: number; column: string; value: string }[]) {
  const before = await snapshot(db);
  const r = await importFixture(db, format, file);
  expect(r.status).toBe('FAILED');
  expect(r.errors.map((e) => ({ line: e.line, column: e.column, value: e.value }))).toEqual(errors);
  expect(r.errorCount).toBe(errors.length);
  for (const e of r.errors) expect(e.message).toMatch(/expected|must|unknown|duplicate|missing/);
  expect(await snapshot(db)).toBe(before);
  const row = await db.prisma.import.findUniqueOrThrow({ where: { id: r.importId! } });
  expect(row).toMatchObject({ status: 'FAILED', format, errors: errors.length, inserted: 0, updated: 0 });
  return r;
}

describe('core/areas', () => {
  it('imports a good file, children listed before their parents', async () => {
    const rows = readCsv(fixture('areas.csv'));
    const r = await importFixture(db, 'core/areas', 'areas.csv');
    expect(r.status).toBe('SUCCEEDED');
    expect(r.errors).toEqual([]);
    expect(counts(r)).toEqual({ inserted: rows.length, updated: 0, unchanged: 0 });
    const stored = await db.prisma.area.findMany();
    expect(
      stored
        .map((a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parentCode }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    ).toEqual(
      rows
        .map((a) => ({ code: a.code, name: a.name, level: LEVEL[a.level], parentCode: a.parent_code || null }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it('reports 0 inserted, 0 updated, N unchanged the second time', async () => {
    const r = await importFixture(db, 'core/areas', 'areas.csv');
    expect(counts(r)).toEqual({ inserted: 0, updated: 0, unchanged: readCsv(fixture('areas.csv')).length });
  });

  it('reads a BOM, CRLF line ends and quoted fields (commas, doubled quotes, a line break)', async () => {
    const bytes = fs.readFileSync(fixture('areas-bom-crlf.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const r = await importFixture(db, 'core/areas', 'areas-bom-crlf.csv');
    expect(r.errors).toEqual([]);
    expect(r.inserted).toBe(3);
    const names = Object.fromEntries(
      (await db.prisma.area.findMany({ where: { code: { in: ['E07000111', 'E07000112', 'E07000114'] } } })).map((a) => [
        a.code,
        [a.name, a.parentCode],
      ]),
    );
    expect(names).toEqual({
      E07000111: ['Sevenoaks, District of', 'E10000016'],
      E07000112: ['Folkestone "and" Hythe', 'E10000016'],
      E07000114: ['Thanet\r\nIsle', 'E10000016'],
    });
  });

  it('counts lines physically in a CRLF file with a quoted line break', async () => {
    // Line 4 holds a field that runs onto line 5; the bad level is on line 6.
    await expectRejected('core/areas', 'bad-areas-crlf.csv', [{ line: 6, column: 'level', value: 'COUNTY' }]);
  });

  it('rejects an unknown parent and an area that contains itself', async () => {
    await expectRejected('core/areas', 'bad-areas.csv', [
      { line: 2, column: 'parent_code', value: 'E07000120' },
      { line: 3, column: 'parent_code', value: 'E12000099' },
    ]);
  });
});

describe('core/neighbours', () => {
  it('imports ranks, then a corrected file that swaps two of them updates only those two', async () => {
    const first = readCsv(fixture('neighbours.csv'));
    const r1 = await importFixture(db, 'core/neighbours', 'neighbours.csv');
    expect(counts(r1)).toEqual({ inserted: first.length, updated: 0, unchanged: 0 });
    const corrected = readCsv(fixture('neighbours-corrected.csv'));
    const r2 = await importFixture(db, 'core/neighbours', 'neighbours-corrected.csv');
    expect(counts(r2)).toEqual(diff(first, corrected, (r) => `${r.la_code}|${r.neighbour_code}`));
    expect(r2.updated).toBe(2);
    const stored = await db.prisma.statisticalNeighbour.findMany({
      where: { laCode: 'E10000016' },
      orderBy: { rank: 'asc' },
    });
    expect(stored.map((s) => s.neighbourCode)).toEqual(
      [...corrected].sort((a, b) => Number(a.rank) - Number(b.rank)).map((c) => c.neighbour_code),
    );
    const r3 = await importFixture(db, 'core/neighbours', 'neighbours-corrected.csv');
    expect(counts(r3)).toEqual({ inserted: 0, updated: 0, unchanged: corrected.length });
  });

  it('rejects a rank given twice and a rank held by a neighbour the file does not list', async () => {
    const r = await expectRejected('core/neighbours', 'bad-neighbours.csv', [
      { line: 2, column: 'rank', value: '1' },
      { line: 4, column: 'rank', value: '2' },
    ]);
    expect(r.errors[0].message).toMatch(/held by E10000032/);
    expect(r.errors[1].message).toMatch(/duplicate rank: line 3/);
  });
});

describe('core/people', () => {
  it('imports a good file', async () => {
    const rows = readCsv(fixture('people.csv'));
    const r = await importFixture(db, 'core/people', 'people.csv');
    expect(r.status).toBe('SUCCEEDED');
    expect(counts(r)).toEqual({ inserted: rows.length, updated: 0, unchanged: 0 });
    const stored = await db.prisma.person.findMany({ orderBy: { id: 'asc' } });
    expect(
      stored.map((p) => [p.id, p.birthMonth.toISOString().slice(0, 10), p.sex, p.ethnicityMajor, p.districtCode]),
    ).toEqual(
      rows
        .map((p) => [p.person_id, `${p.birth_month}-01`, SEX[p.sex], p.ethnicity_major, p.district_code || null])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('is idempotent: the same file again is 0 inserted, 0 updated, N unchanged', async () => {
    const r = await importFixture(db, 'core/people', 'people.csv');
    expect(counts(r)).toEqual({ inserted: 0, updated: 0, unchanged: readCsv(fixture('people.csv')).length });
  });

  it('a dry run of a corrected file counts exactly what the real run does, and writes only a DRY_RUN Import row', async () => {
    const expected = diff(readCsv(fixture('people.csv')), readCsv(fixture('people-corrected.csv')), (r) => r.person_id);
    const before = await snapshot(db);
    const dry = await importFixture(db, 'core/people', 'people-corrected.csv', { dryRun: true });
    expect(dry.status).toBe('DRY_RUN');
    expect(counts(dry)).toEqual(expected);
    expect(await snapshot(db)).toBe(before);
    expect(await db.prisma.import.findUniqueOrThrow({ where: { id: dry.importId! } })).toMatchObject({
      status: 'DRY_RUN',
      dryRun: true,
      inserted: expected.inserted,
      updated: expected.updated,
    });
  });

  it('a corrected file updates only the rows that changed', async () => {
    const corrected = readCsv(fixture('people-corrected.csv'));
    const expected = diff(readCsv(fixture('people.csv')), corrected, (r) => r.person_id);
    expect(expected.updated).toBeGreaterThan(0);
    const r = await importFixture(db, 'core/people', 'people-corrected.csv');
    expect(counts(r)).toEqual(expected);
    for (const p of corrected) {
      const s = await db.prisma.person.findUniqueOrThrow({ where: { id: p.person_id } });
      expect([s.sex, s.districtCode]).toEqual([SEX[p.sex], p.district_code || null]);
    }
  });

  it('rejects bad values, naming line, column and value', async () => {
    const r = await expectRejected('core/people', 'bad-values.csv', [
      { line: 3, column: 'birth_month', value: '2009-13' },
      { line: 4, column: 'sex', value: 'X' },
      { line: 5, column: 'ethnicity_major', value: 'PURPLE' },
      { line: 7, column: 'person_id', value: '' },
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'expected a month YYYY-MM',
      'expected one of F|M|U',
      'expected one of WHITE|MIXED|ASIAN|BLACK|CHINESE|OTHER|UNCLASSIFIED',
      'expected a person id, found a blank',
    ]);
  });

  it('rejects an unknown column before reading any row', async () => {
    const r = await expectRejected('core/people', 'bad-unknown-column.csv', [
      { line: 1, column: 'name', value: 'name' },
    ]);
    expect(r.errors[0].message).toMatch(/unknown column "name"/);
  });

  it('rejects a missing column before reading any row', async () => {
    const r = await expectRejected('core/people', 'bad-missing-column.csv', [{ line: 1, column: 'sex', value: '' }]);
    expect(r.errors[0].message).toMatch(/missing column sex/);
  });

  it('rejects unknown references, every line that has one', async () => {
    const r = await expectRejected('core/people', 'bad-reference.csv', [
      { line: 3, column: 'district_code', value: 'E07999999' },
      { line: 4, column: 'district_code', value: 'E07999999' },
      { line: 5, column: 'district_code', value: 'E06000001' },
    ]);
    expect(r.errors[0].message).toBe('unknown district_code: no Area has code "E07999999"');
  });

  it('rejects a key given twice in one file', async () => {
    const r = await expectRejected('core/people', 'bad-duplicate.csv', [
      { line: 4, column: 'person_id', value: 'X0501' },
    ]);
    expect(r.errors[0].message).toMatch(/duplicate key: line 2/);
  });

  it('rejects a row with the wrong number of fields', async () => {
    await expectRejected('core/people', 'bad-fields.csv', [{ line: 2, column: '', value: 'X0601,2009-03,F,WHITE' }]);
  });

  it('rejects an empty file', async () => {
    const r = await expectRejected('core/people', 'bad-empty.csv', [{ line: 1, column: '', value: '' }]);
    expect(r.errors[0].message).toMatch(/header row/);
  });
});

describe('core/characteristics', () => {
  it('imports a good file and creates the periods the store lacks', async () => {
    const rows = readCsv(fixture('characteristics.csv'));
    const periodsBefore = await db.prisma.period.count();
    const r = await importFixture(db, 'core/characteristics', 'characteristics.csv');
    expect(r.errors).toEqual([]);
    expect(counts(r)).toEqual({ inserted: rows.length, updated: 0, unchanged: 0 });
    const years = new Set(rows.map((c) => c.time_period));
    expect(r.created).toEqual({ Period: years.size });
    expect(await db.prisma.period.count()).toBe(periodsBefore + years.size);
    for (const c of rows) {
      const code = `${c.time_period.slice(0, 4)}/${Number(c.time_period.slice(0, 4)) + 1}|AY`;
      const s = await db.prisma.personCharacteristic.findUniqueOrThrow({
        where: { personId_periodCode: { personId: c.person_id, periodCode: code } },
      });
      expect([s.fsm, s.senStatus, s.inCare, s.eal]).toEqual([bool(c.fsm), c.sen_status, bool(c.in_care), bool(c.eal)]);
    }
    const again = await importFixture(db, 'core/characteristics', 'characteristics.csv');
    expect(counts(again)).toEqual({ inserted: 0, updated: 0, unchanged: rows.length });
    expect(again.created).toEqual({ Period: 0 });
  });

  it('rejects bad periods', async () => {
    const r = await expectRejected('core/characteristics', 'bad-period.csv', [
      { line: 3, column: 'time_period', value: '20161' },
      { line: 4, column: 'time_period', value: '201618' },
      { line: 5, column: 'time_identifier', value: 'Academic yr' },
    ]);
    expect(r.errors[2].message).toMatch(/not an EES time identifier \(expected e\.g\. "Academic year"/);
  });

  it('rejects bad booleans and codes', async () => {
    const r = await expectRejected('core/characteristics', 'bad-boolean.csv', [
      { line: 2, column: 'fsm', value: 'maybe' },
      { line: 3, column: 'in_care', value: '2' },
      { line: 4, column: 'sen_status', value: 'SEN' },
      { line: 4, column: 'eal', value: 'yes please' },
    ]);
    expect(r.errors[0].message).toBe('expected a boolean: true/false, Y/N or 1/0');
  });
});

describe('core/targets', () => {
  it('imports targets (fractional values, two period types), idempotently', async () => {
    const rows = readCsv(fixture('targets.csv'));
    const r = await importFixture(db, 'core/targets', 'targets.csv');
    expect(r.errors).toEqual([]);
    expect(counts(r)).toEqual({ inserted: rows.length, updated: 0, unchanged: 0 });
    const stored = await db.prisma.target.findMany();
    expect(stored.map((t) => t.value).sort((a, b) => a - b)).toEqual(
      rows.map((t) => Number(t.value)).sort((a, b) => a - b),
    );
    expect(stored.filter((t) => t.periodCode === '2017/2018|FY')).toHaveLength(
      rows.filter((t) => t.time_identifier === 'Financial year').length,
    );
    const again = await importFixture(db, 'core/targets', 'targets.csv');
    expect(counts(again)).toEqual({ inserted: 0, updated: 0, unchanged: rows.length });
  });

  it('rejects an unknown indicator, a bad kind and a bad number', async () => {
    await expectRejected('core/targets', 'bad-targets.csv', [
      { line: 2, column: 'indicator_code', value: 'NO_SUCH' },
      { line: 3, column: 'kind', value: 'GOAL' },
      { line: 4, column: 'value', value: '7O' },
    ]);
  });
});

describe('provenance', () => {
  it('records one Import row per run, with the file’s sha256', async () => {
    const r = await importFixture(db, 'core/areas', 'areas.csv');
    const row = await db.prisma.import.findUniqueOrThrow({ where: { id: r.importId! } });
    const { createHash } = await import('node:crypto');
    expect(row.sha256).toBe(
      createHash('sha256')
        .update(fs.readFileSync(fixture('areas.csv')))
        .digest('hex'),
    );
    expect(row).toMatchObject({ format: 'core/areas', fileName: 'areas.csv', status: 'SUCCEEDED', ranBy: 'vitest' });
    expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt.getTime());
    expect(await tableCounts(db)).toMatchObject({ Area: readCsv(fixture('areas.csv')).length + 3 });
  });
});
