// Deterministic demo enrolments for the reading pilot: children aged 6 to 8 in 2015/16 to 2017/18, about a
// third enrolled, completion less likely with FSM (so the FSM gap is visible). Tests use their own fixtures.
import { type BulkColumn, bulkInsert } from '../../src/core/bulk.js';
import type { Rng } from '../../src/core/plugin.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export interface EnrolmentInput {
  personId: string;
  periodCode: string;
  districtCode: string;
  enrolledOn: Date;
  completed: boolean;
  booksRead: number;
}

export const ENROLMENT_COLUMNS: BulkColumn<EnrolmentInput>[] = [
  { name: 'personId', type: 'text', get: (r) => r.personId },
  { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
  { name: 'enrolledOn', type: 'date', get: (r) => r.enrolledOn },
  { name: 'completed', type: 'bool', get: (r) => r.completed },
  { name: 'booksRead', type: 'int', get: (r) => r.booksRead },
];

export async function seedReadingPilot(tx: Prisma.TransactionClient, rng: Rng): Promise<number> {
  const children = await tx.$queryRaw<{ id: string; districtCode: string; periodCode: string; fsm: boolean }[]>`
    SELECT p.id, p."districtCode", pc."periodCode", pc.fsm
    FROM "Person" p JOIN "PersonCharacteristic" pc ON pc."personId" = p.id
    WHERE pc."periodCode" IN ('2015/2016|AY', '2016/2017|AY', '2017/2018|AY') AND p."districtCode" IS NOT NULL
      AND date_part('year', age(make_date(split_part(pc."periodCode", '/', 1)::int, 9, 1), p."birthMonth")) BETWEEN 6 AND 8
    ORDER BY pc."periodCode", p.id`;
  const rows: EnrolmentInput[] = [];
  for (const c of children) {
    if (!rng.chance(0.35)) continue;
    const year = Number(c.periodCode.slice(0, 4));
    rows.push({
      personId: c.id,
      periodCode: c.periodCode,
      districtCode: c.districtCode,
      enrolledOn: new Date(Date.UTC(year, 8, rng.int(1, 30))),
      completed: rng.chance(c.fsm ? 0.55 : 0.75),
      booksRead: rng.int(0, c.fsm ? 12 : 16),
    });
  }
  return bulkInsert(tx, 'ReadingPilotEnrolment', ENROLMENT_COLUMNS, rows);
}
