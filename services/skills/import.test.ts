// The Skills and Employability import formats through the ingestion framework: a good file per format
// (stored as written), the same file again (all unchanged), a corrected file (only the change updated), and
// one bad file per kind of error, each naming line and column and writing nothing.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../../src/core/dates.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../../test/harness.js';
import { apprenticeshipStartsFormat, participationFormat } from './import.js';

let db: Database;
/** [id, birth month]: P4 is a child, too young for either format. */
const PEOPLE: [string, string][] = [
  ['P1', '2000-05-01'],
  ['P2', '1999-11-01'],
  ['P3', '1995-01-01'],
  ['P4', '2010-01-01'],
];
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction(
    async (tx) => {
      await seedGeography(tx);
      await tx.person.createMany({
        data: PEOPLE.map(([id, born]) => ({
          id,
          birthMonth: new Date(`${born}T00:00:00Z`),
          sex: 'FEMALE' as const,
          ethnicityMajor: 'WHITE' as const,
          districtCode: 'E07000110',
        })),
      });
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}, 120_000);
afterAll(() => db.close());

// biome-ignore lint/suspicious/noExplicitAny: formats of any row type.
const run = (format: ImportFormat<any>, csv: string) =>
  runImport({ db, format, input: Readable.from([csv]), fileName: 'test.csv', ranBy: 'vitest' });

function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const counts = async () => [await db.prisma.participationRecord.count(), await db.prisma.apprenticeshipStart.count()];

function expectCounts(r: ImportReport, inserted: number, updated: number, unchanged: number) {
  expect(r.errors).toEqual([]);
  expect([r.status, r.inserted, r.updated, r.unchanged]).toEqual(['SUCCEEDED', inserted, updated, unchanged]);
}

describe('skills/participation', () => {
  const good = `person_id,month,status,activity
P1,2016-12,EET,110
P1,2017-01,NEET,540
P1,2017-02,NOT_KNOWN,
P2,2017-01,EET,210`;

  it('stores each month as written, then finds the file unchanged, then updates a correction', async () => {
    expectCounts(await run(participationFormat, good), 4, 0, 0);
    const stored = await db.prisma.participationRecord.findMany({ orderBy: [{ personId: 'asc' }, { month: 'asc' }] });
    expect(stored.map((s) => [s.personId, s.month.toISOString().slice(0, 7), s.status, s.activity ?? ''])).toEqual(
      rows(good).map((r) => [r.person_id, r.month, r.status, r.activity]),
    );
    expectCounts(await run(participationFormat, good), 0, 0, 4);
    // February's activity is found: NEET, seeking work.
    expectCounts(await run(participationFormat, good.replace('P1,2017-02,NOT_KNOWN,', 'P1,2017-02,NEET,540')), 0, 1, 3);
    expect(
      await db.prisma.participationRecord.findUnique({
        where: { personId_month: { personId: 'P1', month: new Date('2017-02-01T00:00:00Z') } },
      }),
    ).toMatchObject({ status: 'NEET', activity: '540' });
  });

  it('takes a file without the optional activity column', async () => {
    expectCounts(await run(participationFormat, 'person_id,month,status\nP2,2017-02,NEET'), 1, 0, 0);
    expect(
      await db.prisma.participationRecord.findUnique({
        where: { personId_month: { personId: 'P2', month: new Date('2017-02-01T00:00:00Z') } },
      }),
    ).toMatchObject({ status: 'NEET', activity: null });
  });
});

describe('skills/apprenticeship-starts', () => {
  const good = `person_id,started_on,level
P3,2014-09-08,LEVEL_3
P2,2016-09-05,2
P1,2017-01-09,4+`;
  it('stores starts (levels by code or number), then finds them unchanged, then updates a level', async () => {
    expectCounts(await run(apprenticeshipStartsFormat, good), 3, 0, 0);
    const stored = await db.prisma.apprenticeshipStart.findMany({ orderBy: { personId: 'asc' } });
    expect(stored.map((s) => [s.personId, iso(s.startedOn), s.level])).toEqual([
      ['P1', '2017-01-09', 'LEVEL_4_PLUS'],
      ['P2', '2016-09-05', 'LEVEL_2'],
      ['P3', '2014-09-08', 'LEVEL_3'],
    ]);
    expectCounts(await run(apprenticeshipStartsFormat, good), 0, 0, 3);
    expectCounts(
      await run(apprenticeshipStartsFormat, good.replace('P2,2016-09-05,2', 'P2,2016-09-05,LEVEL_3')),
      0,
      1,
      2,
    );
  });
});

const PART = 'person_id,month,status,activity';
const APPR = 'person_id,started_on,level';
// One bad file per kind of error: [kind, format, csv, line, column, message pattern].
const BAD: [string, ImportFormat<unknown>, string, number, string, RegExp][] = [
  [
    'missing column',
    participationFormat as ImportFormat<unknown>,
    'person_id,month,activity\nP1,2016-12,110',
    1,
    'status',
    /missing column status/,
  ],
  [
    'unknown column',
    participationFormat as ImportFormat<unknown>,
    `${PART},school\nP1,2016-12,EET,110,x`,
    1,
    'school',
    /unknown column "school"/,
  ],
  [
    'bad status',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nP1,2016-12,EET,110\nP1,2017-01,UNEMPLOYED,540`,
    3,
    'status',
    /one of EET\|NEET\|NOT_KNOWN/,
  ],
  ['bad month', participationFormat as ImportFormat<unknown>, `${PART}\nP1,2017-13,EET,110`, 2, 'month', /YYYY-MM/],
  [
    'a date for a month',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nP1,2017-01-31,EET,110`,
    2,
    'month',
    /YYYY-MM/,
  ],
  [
    'bad activity code',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nP1,2017-01,NEET,54`,
    2,
    'activity',
    /three-digit NCCIS activity code/,
  ],
  [
    'blank person',
    participationFormat as ImportFormat<unknown>,
    `${PART}\n,2017-01,EET,110`,
    2,
    'person_id',
    /found a blank/,
  ],
  [
    'unknown person',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nNOBODY,2017-01,EET,110`,
    2,
    'person_id',
    /unknown person_id: no Person has id "NOBODY"/,
  ],
  [
    'duplicate person and month',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nP1,2017-01,EET,110\nP2,2017-01,EET,110\nP1,2017-01,NEET,540`,
    4,
    'person_id,month',
    /duplicate key: line 2/,
  ],
  [
    'a child’s record',
    participationFormat as ImportFormat<unknown>,
    `${PART}\nP1,2017-01,EET,110\nP4,2017-01,EET,110`,
    3,
    'month',
    /P4 \(born 2010-01\) is of academic age 6 in 2017-01: participation is tracked for academic ages 16 to 24/,
  ],
  [
    'a month before academic age 16',
    participationFormat as ImportFormat<unknown>,
    // P1, born May 2000, is 16 from the academic year 2016/17 (its September), not in August 2016.
    `${PART}\nP1,2016-08,EET,110`,
    2,
    'month',
    /academic age 15 in 2016-08/,
  ],
  [
    'bad level',
    apprenticeshipStartsFormat as ImportFormat<unknown>,
    `${APPR}\nP3,2015-01-05,LEVEL_5`,
    2,
    'level',
    /one of .*LEVEL_2\|LEVEL_3\|LEVEL_4_PLUS/,
  ],
  [
    'bad date',
    apprenticeshipStartsFormat as ImportFormat<unknown>,
    `${APPR}\nP3,05/01/2015,2`,
    2,
    'started_on',
    /YYYY-MM-DD/,
  ],
  [
    'too young to start',
    apprenticeshipStartsFormat as ImportFormat<unknown>,
    `${APPR}\nP3,2015-01-05,2\nP1,2015-04-30,2`,
    3,
    'started_on',
    /P1 \(born 2000-05\) would be 14 at the start: apprentices are at least 15/,
  ],
  [
    'unknown apprentice',
    apprenticeshipStartsFormat as ImportFormat<unknown>,
    `${APPR}\nNOBODY,2015-01-05,2`,
    2,
    'person_id',
    /unknown person_id/,
  ],
  [
    'duplicate start',
    apprenticeshipStartsFormat as ImportFormat<unknown>,
    `${APPR}\nP3,2015-01-05,2\nP3,2015-01-05,3`,
    3,
    'person_id,started_on',
    /duplicate key: line 2/,
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
