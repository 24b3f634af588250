// The four troubled-families import formats end to end through the ingestion framework: good files load
// and re-load unchanged, changed rows update, and each kind of bad file is refused with line and column
// (bad value, unknown reference, not a district, claim before attachment, closure rules, duplicate key,
// wrong header), writing nothing.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGeography } from '../../src/core/demo-population.js';
import { findImportFormat, type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../../test/harness.js';
import { troubledFamilies } from './plugin.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction((tx) => seedGeography(tx));
  await db.prisma.person.createMany({
    data: ['P1', 'P2', 'P3'].map((id) => ({
      id,
      birthMonth: new Date('2007-01-01T00:00:00Z'),
      sex: 'FEMALE' as const,
      ethnicityMajor: 'WHITE' as const,
      districtCode: 'E07000110',
    })),
  });
});
afterAll(() => db.close());

function load(format: string, csv: string, dryRun = false): Promise<ImportReport> {
  const f = findImportFormat(format, [troubledFamilies]);
  if (!f) throw new Error(`no format ${format}`);
  return runImport({ db, format: f, input: Readable.from([csv]), fileName: 'test.csv', ranBy: 'vitest', dryRun });
}

const FAMILIES = `family_id,district_code,attached_on,criteria
F1,E07000110,2016-05-12,EDUCATION|HEALTH
F2,E07000105,2016-06-01,HEALTH|CRIME_ASB|WORKLESSNESS
`;
const MEMBERS = `family_id,person_id,role
F1,P1,CHILD
F1,P2,CHILD
F2,P3,ADULT
`;
const CLAIMS = `claim_id,family_id,window,submitted_on,outcome,status
C1,F1,JAN 17,2017-01-27,SIGNIFICANT_AND_SUSTAINED_PROGRESS,VALIDATED
C2,F2,MAR 17,2017-03-24,CONTINUOUS_EMPLOYMENT,REJECTED
`;
const CASES = `case_id,person_id,district_code,family_id,opened_on,closed_on,closure_reason,step_down,intensive
EH1,P1,E07000110,F1,2016-04-11,2016-09-30,OUTCOMES_ACHIEVED,N,Y
EH2,P3,E07000105,,2016-10-01,,,yes,false
`;

describe('good files', () => {
  it('loads families, members, claims and cases, then re-loads them unchanged', async () => {
    for (const [format, csv, rows] of [
      ['troubled-families/families', FAMILIES, 2],
      ['troubled-families/members', MEMBERS, 3],
      ['troubled-families/claims', CLAIMS, 2],
      ['troubled-families/early-help-cases', CASES, 2],
    ] as const) {
      const first = await load(format, csv);
      expect(first.errors, format).toEqual([]);
      expect(first).toMatchObject({ status: 'SUCCEEDED', inserted: rows, updated: 0, unchanged: 0 });
      const again = await load(format, csv);
      expect(again).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0, unchanged: rows });
    }
    const f2 = await db.prisma.troubledFamily.findUniqueOrThrow({ where: { id: 'F2' } });
    // Criteria are stored in the national order, whatever order the file gives.
    expect(f2.criteria).toEqual(['CRIME_ASB', 'WORKLESSNESS', 'HEALTH']);
    const eh2 = await db.prisma.earlyHelpCase.findUniqueOrThrow({ where: { id: 'EH2' } });
    expect(eh2).toMatchObject({
      familyId: null,
      closedOn: null,
      closureReason: null,
      stepDown: true,
      intensive: false,
    });
    expect(await db.prisma.pbrClaim.count()).toBe(2);
  });

  it('updates a changed family (criteria in another order are not a change)', async () => {
    const r = await load(
      'troubled-families/families',
      `family_id,district_code,attached_on,criteria
F1,E07000110,2016-05-12,HEALTH|EDUCATION
F2,E07000105,2016-06-02,HEALTH|CRIME_ASB|WORKLESSNESS
`,
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 1, unchanged: 1 });
    expect((await db.prisma.troubledFamily.findUniqueOrThrow({ where: { id: 'F2' } })).attachedOn.toISOString()).toBe(
      '2016-06-02T00:00:00.000Z',
    );
  });

  it('updates a claim’s status on re-import', async () => {
    const r = await load('troubled-families/claims', CLAIMS.replace('VALIDATED', 'PAID'));
    expect(r).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 1, unchanged: 1 });
  });
});

describe('bad files are refused with line and column, and write nothing', () => {
  const cases: [string, string, string, { line: number; column: string; message: RegExp }][] = [
    [
      'an unknown headline criterion',
      'troubled-families/families',
      'family_id,district_code,attached_on,criteria\nF9,E07000110,2016-05-12,EDUCATION|POVERTY\n',
      { line: 2, column: 'criteria', message: /headline criteria.*not POVERTY/ },
    ],
    [
      'a bad date',
      'troubled-families/families',
      'family_id,district_code,attached_on,criteria\nF9,E07000110,2016-02-30,HEALTH\n',
      { line: 2, column: 'attached_on', message: /YYYY-MM-DD/ },
    ],
    [
      'a district that is a local authority',
      'troubled-families/families',
      'family_id,district_code,attached_on,criteria\nF9,E10000016,2016-05-12,HEALTH\n',
      { line: 2, column: 'district_code', message: /must be a district/ },
    ],
    [
      'an unknown area',
      'troubled-families/families',
      'family_id,district_code,attached_on,criteria\nF9,E07999999,2016-05-12,HEALTH\n',
      { line: 2, column: 'district_code', message: /unknown district_code/ },
    ],
    [
      'a duplicate family',
      'troubled-families/families',
      'family_id,district_code,attached_on,criteria\nF9,E07000110,2016-05-12,HEALTH\nF9,E07000110,2016-05-13,HEALTH\n',
      { line: 3, column: 'family_id', message: /duplicate key/ },
    ],
    [
      'a member of an unknown family',
      'troubled-families/members',
      'family_id,person_id,role\nF404,P1,CHILD\n',
      { line: 2, column: 'family_id', message: /unknown family_id/ },
    ],
    [
      'an unknown person',
      'troubled-families/members',
      'family_id,person_id,role\nF1,P404,CHILD\n',
      { line: 2, column: 'person_id', message: /unknown person_id/ },
    ],
    [
      'a bad role',
      'troubled-families/members',
      'family_id,person_id,role\nF1,P3,PARENT\n',
      { line: 2, column: 'role', message: /one of ADULT\|CHILD/ },
    ],
    [
      'a bad claim status',
      'troubled-families/claims',
      'claim_id,family_id,window,submitted_on,outcome,status\nC9,F1,JAN 17,2017-01-27,SIGNIFICANT_AND_SUSTAINED_PROGRESS,APPROVED\n',
      { line: 2, column: 'status', message: /SUBMITTED\|VALIDATED\|PAID\|REJECTED/ },
    ],
    [
      'a claim before the family was attached',
      'troubled-families/claims',
      'claim_id,family_id,window,submitted_on,outcome,status\nC9,F1,MAR 16,2016-03-18,SIGNIFICANT_AND_SUSTAINED_PROGRESS,PAID\n',
      { line: 2, column: 'submitted_on', message: /before family F1 was attached/ },
    ],
    [
      'a case closed before it opened',
      'troubled-families/early-help-cases',
      'case_id,person_id,district_code,family_id,opened_on,closed_on,closure_reason,step_down,intensive\nEH9,P1,E07000110,,2016-04-11,2016-04-10,OTHER,N,Y\n',
      { line: 2, column: 'closed_on', message: /before opened_on/ },
    ],
    [
      'a closed case without a reason',
      'troubled-families/early-help-cases',
      'case_id,person_id,district_code,family_id,opened_on,closed_on,closure_reason,step_down,intensive\nEH9,P1,E07000110,,2016-04-11,2016-05-10,,N,Y\n',
      { line: 2, column: 'closure_reason', message: /needs a closure_reason/ },
    ],
    [
      'a bad boolean',
      'troubled-families/early-help-cases',
      'case_id,person_id,district_code,family_id,opened_on,closed_on,closure_reason,step_down,intensive\nEH9,P1,E07000110,,2016-04-11,,,maybe,Y\n',
      { line: 2, column: 'step_down', message: /boolean/ },
    ],
    [
      'a missing column',
      'troubled-families/claims',
      'claim_id,family_id,window,submitted_on,outcome\nC9,F1,JAN 17,2017-01-27,SIGNIFICANT_AND_SUSTAINED_PROGRESS\n',
      { line: 1, column: 'status', message: /status/ },
    ],
  ];

  for (const [what, format, csv, expected] of cases) {
    it(`refuses ${what}`, async () => {
      const before = JSON.stringify([
        await db.prisma.troubledFamily.findMany({ orderBy: { id: 'asc' } }),
        await db.prisma.troubledFamilyMember.findMany({ orderBy: [{ familyId: 'asc' }, { personId: 'asc' }] }),
        await db.prisma.pbrClaim.findMany({ orderBy: { id: 'asc' } }),
        await db.prisma.earlyHelpCase.findMany({ orderBy: { id: 'asc' } }),
      ]);
      const r = await load(format, csv);
      expect(r.status).toBe('FAILED');
      expect(r.errors[0]).toMatchObject({ line: expected.line, column: expected.column });
      expect(r.errors[0].message).toMatch(expected.message);
      const after = JSON.stringify([
        await db.prisma.troubledFamily.findMany({ orderBy: { id: 'asc' } }),
        await db.prisma.troubledFamilyMember.findMany({ orderBy: [{ familyId: 'asc' }, { personId: 'asc' }] }),
        await db.prisma.pbrClaim.findMany({ orderBy: { id: 'asc' } }),
        await db.prisma.earlyHelpCase.findMany({ orderBy: { id: 'asc' } }),
      ]);
      expect(after).toBe(before);
    });
  }
});
