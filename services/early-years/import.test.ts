// The Early Years import formats through the ingestion framework: a good file per format (stored as
// written), the same file again (all unchanged), a corrected file (only the change updated), and one bad
// file per kind of error, each naming line and column and writing nothing.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../../src/core/dates.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../../test/harness.js';
import { centreRegistrationsFormat, eyfsResultsFormat, settingsFormat, twoYearFundingFormat } from './import.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: ['P1', 'P2', 'P3', 'P4'].map((id, i) => ({
        id,
        birthMonth: new Date(Date.UTC(2011 + i, 2, 1)),
        sex: 'FEMALE' as const,
        ethnicityMajor: 'WHITE' as const,
        districtCode: 'E07000110',
      })),
    });
  });
});
afterAll(() => db.close());

// biome-ignore lint/suspicious/noExplicitAny: formats of any row type.
const run = (format: ImportFormat<any>, csv: string) =>
  runImport({ db, format, input: Readable.from([csv]), fileName: 'test.csv', ranBy: 'vitest' });

/** Data rows of a CSV written in this file (no quoting), keyed by header. */
function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

async function counts() {
  const p = db.prisma;
  return [
    await p.eyfsResult.count(),
    await p.earlyYearsSetting.count(),
    await p.earlyYearsInspection.count(),
    await p.twoYearOldFunding.count(),
    await p.childrensCentreRegistration.count(),
    await p.period.count(),
  ];
}

function expectCounts(r: ImportReport, inserted: number, updated: number, unchanged: number) {
  expect(r.errors).toEqual([]);
  expect([r.status, r.inserted, r.updated, r.unchanged]).toEqual(['SUCCEEDED', inserted, updated, unchanged]);
}

describe('early-years/eyfs-results', () => {
  const good = `person_id,time_period,time_identifier,gld,total_points
P1,201516,Academic year,Y,36
P2,201516,Academic year,false,
P3,201516,Academic year,1,51`;

  it('stores a good file, then finds it unchanged, then updates only the corrected row', async () => {
    expectCounts(await run(eyfsResultsFormat, good), 3, 0, 0);
    const stored = await db.prisma.eyfsResult.findMany({ orderBy: { personId: 'asc' } });
    expect(stored.map((s) => [s.personId, s.periodCode, s.gld, s.totalPoints])).toEqual(
      rows(good).map((r) => [
        r.person_id,
        '2015/2016|AY',
        ['Y', 'true', '1'].includes(r.gld),
        r.total_points ? Number(r.total_points) : null,
      ]),
    );
    expectCounts(await run(eyfsResultsFormat, good), 0, 0, 3);
    expectCounts(
      await run(eyfsResultsFormat, good.replace('P2,201516,Academic year,false,', 'P2,201516,Academic year,false,27')),
      0,
      1,
      2,
    );
  });

  it('accepts a file without the optional total_points column', async () => {
    const r = await run(eyfsResultsFormat, 'person_id,time_period,time_identifier,gld\nP4,201617,Academic year,N');
    expectCounts(r, 1, 0, 0);
    expect(
      await db.prisma.eyfsResult.findUnique({
        where: { personId_periodCode: { personId: 'P4', periodCode: '2016/2017|AY' } },
      }),
    ).toMatchObject({ gld: false, totalPoints: null });
  });
});

describe('early-years/settings', () => {
  const good = `urn,name,setting_type,district_code,registered_on,closed_on,ofsted_grade,inspected_on
EY100001,Acorn Day Nursery,NON_DOMESTIC,E07000110,2010-04-12,,GOOD,2016-02-03
EY100002,Registered childminder,CHILDMINDER,E07000105,,,,
100003,Oak Nursery School,NURSERY_SCHOOL,E07000106,2001-09-01,,1,2015-06-30`;

  it('stores settings with their latest inspection; a later snapshot adds to the inspection history', async () => {
    const first = await run(settingsFormat, good);
    expectCounts(first, 3, 0, 0);
    expect(first.created).toMatchObject({ EarlyYearsInspection: 2 });
    expectCounts(await run(settingsFormat, good), 0, 0, 3);
    // A year later: EY100001 re-inspected, EY100002 inspected for the first time.
    const later = good
      .replace('GOOD,2016-02-03', 'OUTSTANDING,2017-03-01')
      .replace('E07000105,,,,', 'E07000105,,,REQUIRES_IMPROVEMENT,2017-01-20');
    const r = await run(settingsFormat, later);
    expectCounts(r, 0, 2, 1);
    const history = await db.prisma.earlyYearsInspection.findMany({
      where: { urn: 'EY100001' },
      orderBy: { inspectedOn: 'asc' },
    });
    expect(history.map((h) => [iso(h.inspectedOn), h.grade])).toEqual([
      ['2016-02-03', 'GOOD'],
      ['2017-03-01', 'OUTSTANDING'],
    ]);
    expect(await db.prisma.earlyYearsSetting.findUnique({ where: { urn: '100003' } })).toMatchObject({
      type: 'NURSERY_SCHOOL',
    });
  });
});

describe('early-years/two-year-funding', () => {
  const good = `person_id,time_period,time_identifier,eligible,took_up
P3,201516,Autumn term,Y,N
P3,201516,Spring term,Y,Y
P4,201617,Summer term,N,N`;

  it('stores termly rows, creating the terms it needs', async () => {
    await db.prisma.period.deleteMany({ where: { code: { in: ['2015/2016|T1', '2015/2016|T2', '2016/2017|T3'] } } });
    const r = await run(twoYearFundingFormat, good);
    expectCounts(r, 3, 0, 0);
    expect(r.created).toMatchObject({ Period: 3 });
    const stored = await db.prisma.twoYearOldFunding.findMany({
      orderBy: [{ personId: 'asc' }, { periodCode: 'asc' }],
    });
    expect(stored.map((s) => [s.personId, s.periodCode, s.eligible, s.tookUp])).toEqual([
      ['P3', '2015/2016|T1', true, false],
      ['P3', '2015/2016|T2', true, true],
      ['P4', '2016/2017|T3', false, false],
    ]);
    expectCounts(await run(twoYearFundingFormat, good), 0, 0, 3);
  });
});

describe('early-years/centre-registrations', () => {
  const good = `person_id,centre_id,registered_on
P3,CC110,2013-05-01
P4,CC110,2014-04-02
P4,CC105,2015-01-10`;
  it('stores registrations, one per child and centre', async () => {
    expectCounts(await run(centreRegistrationsFormat, good), 3, 0, 0);
    expectCounts(await run(centreRegistrationsFormat, good.replace('2015-01-10', '2015-01-11')), 0, 1, 2);
  });
});

// One bad file per kind of error: [format, csv, line, column, message pattern].
const BAD: [string, ImportFormat<unknown>, string, number, string, RegExp][] = [
  [
    'missing column',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier\nP1,201516,Academic year',
    1,
    'gld',
    /missing column gld/,
  ],
  [
    'unknown column',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld,score\nP1,201516,Academic year,Y,3',
    1,
    'score',
    /unknown column "score"/,
  ],
  [
    'bad boolean',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld\nP1,201516,Academic year,maybe',
    2,
    'gld',
    /expected a boolean/,
  ],
  [
    'points out of range',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld,total_points\nP1,201516,Academic year,N,60',
    2,
    'total_points',
    /from 17 to 51/,
  ],
  [
    'GLD with too few points',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld,total_points\nP1,201516,Academic year,Y,25',
    2,
    'total_points',
    /at least 29 points/,
  ],
  [
    'not an academic year',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld\nP1,2016,Calendar year,Y',
    2,
    'time_identifier',
    /Academic year/,
  ],
  [
    'bad time_period',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld\nP1,2015-16,Academic year,Y',
    2,
    'time_period',
    /six digits/,
  ],
  [
    'unknown person',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld\nNOBODY,201516,Academic year,Y',
    2,
    'person_id',
    /unknown person_id: no Person has id "NOBODY"/,
  ],
  [
    'duplicate key',
    eyfsResultsFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,gld\nP1,201516,Academic year,Y\nP1,201516,Academic year,N',
    3,
    'person_id,time_period,time_identifier',
    /duplicate key: line 2/,
  ],
  [
    'blank setting name',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code\nEY200001,,CHILDMINDER,E07000110',
    2,
    'name',
    /found a blank/,
  ],
  [
    'bad URN',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code\nX-1,A,CHILDMINDER,E07000110',
    2,
    'urn',
    /Ofsted URN/,
  ],
  [
    'bad setting type',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code\nEY200001,A,CRECHE,E07000110',
    2,
    'setting_type',
    /one of CHILDMINDER/,
  ],
  [
    'grade without a date',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code,ofsted_grade,inspected_on\nEY200001,A,CHILDMINDER,E07000110,GOOD,',
    2,
    'inspected_on',
    /date of the inspection/,
  ],
  [
    'bad date',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code,registered_on\nEY200001,A,CHILDMINDER,E07000110,2016-02-30',
    2,
    'registered_on',
    /YYYY-MM-DD/,
  ],
  [
    'closed before registered',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code,registered_on,closed_on\nEY200001,A,CHILDMINDER,E07000110,2016-02-01,2015-01-01',
    2,
    'closed_on',
    /on or after registered_on/,
  ],
  [
    'unknown district',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code\nEY200001,A,CHILDMINDER,E07999999',
    2,
    'district_code',
    /unknown district_code: no Area has code "E07999999"/,
  ],
  [
    'not a district',
    settingsFormat as ImportFormat<unknown>,
    'urn,name,setting_type,district_code\nEY200001,A,CHILDMINDER,E10000016',
    2,
    'district_code',
    /LOCAL_AUTHORITY area: expected a district/,
  ],
  [
    'not a term',
    twoYearFundingFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,eligible,took_up\nP3,201516,Academic year,Y,Y',
    2,
    'time_identifier',
    /school term/,
  ],
  [
    'took up without eligibility',
    twoYearFundingFormat as ImportFormat<unknown>,
    'person_id,time_period,time_identifier,eligible,took_up\nP3,201516,Spring term,N,Y',
    2,
    'took_up',
    /only an eligible child/,
  ],
  [
    'registered before birth',
    centreRegistrationsFormat as ImportFormat<unknown>,
    'person_id,centre_id,registered_on\nP4,CC1,2013-01-01',
    2,
    'registered_on',
    /birth month \(2014-03\)/,
  ],
  [
    'wrong field count',
    centreRegistrationsFormat as ImportFormat<unknown>,
    'person_id,centre_id,registered_on\nP4,CC1',
    2,
    '',
    /expected 3 fields/,
  ],
];

describe('bad files', () => {
  for (const [kind, format, csv, line, column, message] of BAD) {
    it(`${format.name}: ${kind} → an error at line ${line}, column ${column || '(row)'}; nothing written`, async () => {
      const before = await counts();
      const r = await run(format, csv);
      expect(r.status).toBe('FAILED');
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors[0]).toMatchObject({ line, column });
      expect(r.errors[0].message).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }
});
