// The youth-justice/disposals format through the ingestion framework: a good file (stored as written), the
// same file again (all unchanged), a corrected file (only the change updated), and one bad file per kind of
// error, each naming line and column and writing nothing (all or nothing: good rows of a bad file too).
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../../src/core/dates.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../../test/harness.js';
import { disposalsFormat } from './import.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: ['P1', 'P2', 'P3'].map((id) => ({
        id,
        birthMonth: new Date(Date.UTC(2002, 0, 1)),
        sex: 'MALE' as const,
        ethnicityMajor: 'WHITE' as const,
        districtCode: 'E07000110',
      })),
    });
  });
});
afterAll(() => db.close());

const run = (csv: string) =>
  runImport({ db, format: disposalsFormat, input: Readable.from([csv]), fileName: 'test.csv', ranBy: 'vitest' });
const HEADER = 'disposal_id,person_id,offence_on,disposed_on,tier,disposal_type';

function rows(csv: string): string[][] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

function expectCounts(r: ImportReport, inserted: number, updated: number, unchanged: number) {
  expect(r.errors).toEqual([]);
  expect([r.status, r.inserted, r.updated, r.unchanged]).toEqual(['SUCCEEDED', inserted, updated, unchanged]);
}

const stored = async () =>
  (await db.prisma.youthJusticeDisposal.findMany({ orderBy: { id: 'asc' } })).map((d) => [
    d.id,
    d.personId,
    iso(d.offenceOn),
    iso(d.disposedOn),
    d.tier,
    d.disposalType,
  ]);

describe('youth-justice/disposals', () => {
  const good = `${HEADER}
YJ-1,P1,2016-02-01,2016-02-10,PRE_COURT,COMMUNITY_RESOLUTION
YJ-2,P1,2016-04-20,2016-05-01,PRE_COURT,YOUTH_CAUTION
YJ-3,P2,2016-06-01,2016-06-01,FIRST_TIER,REFERRAL_ORDER
YJ-4,P2,2016-08-01,2016-10-12,CUSTODY,DETENTION_AND_TRAINING_ORDER
YJ-5,P3,2016-03-01,2016-05-30,COMMUNITY,OTHER_COURT
YJ-6,P3,2016-09-01,2016-11-30,FIRST_TIER,OTHER_COURT`;

  it('stores every row as written, then finds the same file unchanged, then updates only a correction', async () => {
    expectCounts(await run(good), 6, 0, 0);
    expect(await stored()).toEqual(rows(good));
    expectCounts(await run(good), 0, 0, 6);
    expect(await stored()).toEqual(rows(good));
    const corrected = good.replace(
      'YJ-4,P2,2016-08-01,2016-10-12,CUSTODY,DETENTION_AND_TRAINING_ORDER',
      'YJ-4,P2,2016-08-01,2016-10-12,COMMUNITY,YOUTH_REHABILITATION_ORDER',
    );
    expectCounts(await run(corrected), 0, 1, 5);
    expect(await stored()).toEqual(rows(corrected));
  });
});

// One bad file per kind of error: [kind, csv, line, column, message pattern]. Each file has a good row
// first, so "nothing written" also shows the import is all or nothing.
const OK = 'YJ-9,P1,2017-01-01,2017-01-05,PRE_COURT,YOUTH_CAUTION';
const BAD: [string, string, number, string, RegExp][] = [
  [
    'missing column',
    'disposal_id,person_id,offence_on,disposed_on,tier\nYJ-9,P1,2017-01-01,2017-01-05,PRE_COURT',
    1,
    'disposal_type',
    /missing column disposal_type/,
  ],
  [
    'bad tier',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-01-01,2017-02-01,COURT,REFERRAL_ORDER`,
    3,
    'tier',
    /one of PRE_COURT\|FIRST_TIER\|COMMUNITY\|CUSTODY/,
  ],
  [
    'bad disposal type',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-01-01,2017-02-01,PRE_COURT,WARNING`,
    3,
    'disposal_type',
    /one of COMMUNITY_RESOLUTION\|YOUTH_CAUTION/,
  ],
  [
    'caution recorded as a court disposal',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-01-01,2017-02-01,FIRST_TIER,YOUTH_CAUTION`,
    3,
    'tier',
    /expected PRE_COURT: the tier of a YOUTH_CAUTION/,
  ],
  [
    'custodial order outside the custody tier',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-01-01,2017-02-01,COMMUNITY,DETENTION_AND_TRAINING_ORDER`,
    3,
    'tier',
    /expected CUSTODY/,
  ],
  [
    'other court disposal in custody',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-01-01,2017-02-01,CUSTODY,OTHER_COURT`,
    3,
    'tier',
    /expected FIRST_TIER or COMMUNITY/,
  ],
  [
    'disposal before the offence',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-03-01,2017-02-01,PRE_COURT,YOUTH_CAUTION`,
    3,
    'disposed_on',
    /on or after offence_on \(2017-03-01\)/,
  ],
  [
    'not a date',
    `${HEADER}\n${OK}\nYJ-10,P1,2017-02-30,2017-03-01,PRE_COURT,YOUTH_CAUTION`,
    3,
    'offence_on',
    /date YYYY-MM-DD/,
  ],
  [
    'blank id',
    `${HEADER}\n${OK}\n,P1,2017-01-01,2017-02-01,PRE_COURT,YOUTH_CAUTION`,
    3,
    'disposal_id',
    /found a blank/,
  ],
  [
    'unknown person',
    `${HEADER}\n${OK}\nYJ-10,P404,2017-01-01,2017-02-01,PRE_COURT,YOUTH_CAUTION`,
    3,
    'person_id',
    /P404/,
  ],
  ['duplicate id', `${HEADER}\n${OK}\n${OK}`, 3, 'disposal_id', /duplicate|more than once|already/i],
];

describe('bad files', () => {
  for (const [kind, csv, line, column, message] of BAD) {
    it(`${kind} → an error at line ${line}, column ${column}; nothing written`, async () => {
      const before = await stored();
      const r = await run(csv);
      expect(r.status).toBe('FAILED');
      expect(r.errors[0]).toMatchObject({ line, column });
      expect(r.errors[0].message).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  }
});
