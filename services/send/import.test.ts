// The SEND import formats through the ingestion framework: a good file per format (stored as written), the
// same file again (all unchanged), a corrected file (only the change updated), and one bad file per kind
// of error, each naming line and column and writing nothing.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../../src/core/dates.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../../test/harness.js';
import { assessmentsFormat, plansFormat, provisionFormat } from './import.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: ['P1', 'P2', 'P3'].map((id) => ({
        id,
        birthMonth: new Date(Date.UTC(2008, 0, 1)),
        sex: 'MALE' as const,
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

function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const day = (d: Date | null) => (d ? iso(d) : '');

async function counts() {
  return [
    await db.prisma.ehcAssessment.count(),
    await db.prisma.ehcPlan.count(),
    await db.prisma.specialistProvision.count(),
    await db.prisma.period.count(),
  ];
}

function expectCounts(r: ImportReport, inserted: number, updated: number, unchanged: number) {
  expect(r.errors).toEqual([]);
  expect([r.status, r.inserted, r.updated, r.unchanged]).toEqual(['SUCCEEDED', inserted, updated, unchanged]);
}

describe('send/assessments', () => {
  const good = `assessment_id,person_id,requested_on,decided_on,issued_on,outcome,primary_need,exception
EHC-1,P1,2016-01-04,2016-04-20,2016-05-23,ISSUED,ASD,N
EHC-2,P2,2016-02-01,2016-03-10,,NOT_ISSUED,,N
EHC-3,P3,2016-11-01,,,IN_PROGRESS,SEMH,false
EHC-4,P3,2016-03-01,,,WITHDRAWN,,0`;

  it('stores each outcome with the dates it has, then finds the file unchanged, then updates a correction', async () => {
    expectCounts(await run(assessmentsFormat, good), 4, 0, 0);
    const stored = await db.prisma.ehcAssessment.findMany({ orderBy: { id: 'asc' } });
    expect(
      stored.map((s) => [
        s.id,
        s.personId,
        day(s.requestedOn),
        day(s.decidedOn),
        day(s.issuedOn),
        s.outcome,
        s.primaryNeed ?? '',
        s.exception,
      ]),
    ).toEqual(
      rows(good).map((r) => [
        r.assessment_id,
        r.person_id,
        r.requested_on,
        r.decided_on,
        r.issued_on,
        r.outcome,
        r.primary_need,
        false,
      ]),
    );
    expectCounts(await run(assessmentsFormat, good), 0, 0, 4);
    // The open assessment concludes: a plan is issued.
    const later = good.replace(
      'EHC-3,P3,2016-11-01,,,IN_PROGRESS,SEMH,false',
      'EHC-3,P3,2016-11-01,2017-02-20,2017-03-20,ISSUED,SEMH,true',
    );
    expectCounts(await run(assessmentsFormat, later), 0, 1, 3);
    expect(await db.prisma.ehcAssessment.findUnique({ where: { id: 'EHC-3' } })).toMatchObject({
      outcome: 'ISSUED',
      exception: true,
    });
  });
});

describe('send/plans', () => {
  const good = `person_id,started_on,ended_on,primary_need
P1,2016-05-23,,ASD
P2,2012-01-10,2015-07-31,SLD
P2,2016-09-01,,SLD`;
  it('stores plans, then finds them unchanged, then records an ended plan', async () => {
    expectCounts(await run(plansFormat, good), 3, 0, 0);
    expectCounts(await run(plansFormat, good), 0, 0, 3);
    expectCounts(await run(plansFormat, good.replace('P1,2016-05-23,,ASD', 'P1,2016-05-23,2018-07-31,ASD')), 0, 1, 2);
    const p1 = await db.prisma.ehcPlan.findMany({ where: { personId: 'P1' } });
    expect(p1.map((p) => [day(p.startedOn), day(p.endedOn), p.primaryNeed])).toEqual([
      ['2016-05-23', '2018-07-31', 'ASD'],
    ]);
  });
});

describe('send/provision', () => {
  const good = `provider_id,provider_name,provision_type,district_code,need_type,time_period,time_identifier,places
118600,Oakfield School,SPECIAL_SCHOOL,E07000105,ASD,201718,Academic year,120
118600,Oakfield School,SPECIAL_SCHOOL,E07000105,SLCN,201718,Academic year,40
141000-SRP,Orchard Primary School SRP,SRP,E07000110,SEMH,202021,Academic year,15`;
  it('stores places by provider, need and year, creating the years it needs', async () => {
    await db.prisma.period.deleteMany({ where: { code: '2020/2021|AY' } });
    const r = await run(provisionFormat, good);
    expectCounts(r, 3, 0, 0);
    expect(r.created).toMatchObject({ Period: 1 });
    const total = rows(good).reduce((s, x) => s + Number(x.places), 0);
    expect((await db.prisma.specialistProvision.aggregate({ _sum: { places: true } }))._sum.places).toBe(total);
    expectCounts(await run(provisionFormat, good.replace(',120', ',126')), 0, 1, 2);
  });
});

const ASSESS = 'assessment_id,person_id,requested_on,decided_on,issued_on,outcome,primary_need,exception';
const PROV = 'provider_id,provider_name,provision_type,district_code,need_type,time_period,time_identifier,places';
// One bad file per kind of error: [kind, format, csv, line, column, message pattern].
const BAD: [string, ImportFormat<unknown>, string, number, string, RegExp][] = [
  [
    'missing column',
    assessmentsFormat as ImportFormat<unknown>,
    'assessment_id,person_id,requested_on,decided_on,issued_on,outcome,primary_need\nX,P1,2016-01-01,,,IN_PROGRESS,',
    1,
    'exception',
    /missing column exception/,
  ],
  [
    'unknown column',
    plansFormat as ImportFormat<unknown>,
    'person_id,started_on,ended_on,primary_need,school\nP1,2016-01-01,,ASD,x',
    1,
    'school',
    /unknown column "school"/,
  ],
  [
    'bad outcome',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,,,PENDING,,N`,
    2,
    'outcome',
    /one of ISSUED\|NOT_ISSUED\|IN_PROGRESS\|WITHDRAWN/,
  ],
  [
    'bad need code',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,2016-03-01,2016-05-01,ISSUED,AUTISM,N`,
    2,
    'primary_need',
    /one of ASD\|SLCN/,
  ],
  [
    'issued without an issue date',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,2016-03-01,,ISSUED,ASD,N`,
    2,
    'issued_on',
    /the outcome is ISSUED/,
  ],
  [
    'issue date on a refusal',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,2016-02-01,2016-05-01,NOT_ISSUED,,N`,
    2,
    'issued_on',
    /expected a blank/,
  ],
  [
    'refusal without a decision date',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,,,NOT_ISSUED,,N`,
    2,
    'decided_on',
    /the outcome is NOT_ISSUED/,
  ],
  [
    'decision before request',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-03-01,2016-02-01,,NOT_ISSUED,,N`,
    2,
    'decided_on',
    /on or after requested_on \(2016-03-01\)/,
  ],
  [
    'bad date',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,01/03/2016,,,IN_PROGRESS,,N`,
    2,
    'requested_on',
    /YYYY-MM-DD/,
  ],
  [
    'bad boolean',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,,,IN_PROGRESS,,perhaps`,
    2,
    'exception',
    /expected a boolean/,
  ],
  [
    'blank id',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\n,P1,2016-01-01,,,IN_PROGRESS,,N`,
    2,
    'assessment_id',
    /found a blank/,
  ],
  [
    'unknown person',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,NOBODY,2016-01-01,,,IN_PROGRESS,,N`,
    2,
    'person_id',
    /unknown person_id: no Person has id "NOBODY"/,
  ],
  [
    'duplicate key',
    assessmentsFormat as ImportFormat<unknown>,
    `${ASSESS}\nX,P1,2016-01-01,,,IN_PROGRESS,,N\nX,P2,2016-01-02,,,IN_PROGRESS,,N`,
    3,
    'assessment_id',
    /duplicate key: line 2/,
  ],
  [
    'plan ends before it starts',
    plansFormat as ImportFormat<unknown>,
    'person_id,started_on,ended_on,primary_need\nP3,2016-01-01,2015-01-01,ASD',
    2,
    'ended_on',
    /after started_on/,
  ],
  [
    'overlapping plans in the file',
    plansFormat as ImportFormat<unknown>,
    'person_id,started_on,ended_on,primary_need\nP3,2014-01-01,2016-01-01,ASD\nP3,2015-06-01,,ASD',
    3,
    'started_on',
    /two plans in force at once: line 2 starts 2014-01-01/,
  ],
  [
    'overlap with a stored plan',
    plansFormat as ImportFormat<unknown>,
    'person_id,started_on,ended_on,primary_need\nP1,2017-01-01,,ASD',
    2,
    'started_on',
    /a stored plan starts 2016-05-23/,
  ],
  [
    'negative places',
    provisionFormat as ImportFormat<unknown>,
    `${PROV}\n1,A,SRP,E07000110,ASD,201718,Academic year,-3`,
    2,
    'places',
    /whole number of at least 0/,
  ],
  [
    'bad provision type',
    provisionFormat as ImportFormat<unknown>,
    `${PROV}\n1,A,UNIT,E07000110,ASD,201718,Academic year,3`,
    2,
    'provision_type',
    /one of SPECIAL_SCHOOL\|SRP\|SATELLITE/,
  ],
  [
    'not an academic year',
    provisionFormat as ImportFormat<unknown>,
    `${PROV}\n1,A,SRP,E07000110,ASD,2017,Calendar year,3`,
    2,
    'time_identifier',
    /academic year/,
  ],
  [
    'unknown district',
    provisionFormat as ImportFormat<unknown>,
    `${PROV}\n1,A,SRP,E07999999,ASD,201718,Academic year,3`,
    2,
    'district_code',
    /unknown district_code: no Area has code "E07999999"/,
  ],
  [
    'not a district',
    provisionFormat as ImportFormat<unknown>,
    `${PROV}\n1,A,SRP,E92000001,ASD,201718,Academic year,3`,
    2,
    'district_code',
    /NATIONAL area: expected a district/,
  ],
];

describe('bad files', () => {
  for (const [kind, format, csv, line, column, message] of BAD) {
    it(`${format.name}: ${kind} → an error at line ${line}, column ${column}; nothing written`, async () => {
      const before = await counts();
      const r = await run(format, csv);
      expect(r.status).toBe('FAILED');
      expect(r.errors[0]).toMatchObject({ line, column });
      expect(r.errors[0].message).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }
});
