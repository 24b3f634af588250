// Ages and months of the Skills and Employability measures, in one place for the indicators, the import
// checks, the GraphQL and the seed. Only a person's birth month is stored, so:
// - academic age (age on 31 August before the academic year starts) is exact: whatever the day of birth,
//   someone born in August has had their birthday by 31 August and someone born in September has not;
// - age at an apprenticeship start treats the birthday as the first day of the birth month (a start in the
//   birth month counts the new age).
import { utc } from '../../src/core/dates.js';
import { Prisma } from '../../src/generated/prisma/client.js';

/** `YYYY-MM` of a date. */
export const monthText = (d: Date) => d.toISOString().slice(0, 7);

/** The academic year (its first calendar year: 2016 for 2016/17) containing a date. */
export const academicYearOf = (d: Date) => (d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1);

/** Age on 31 August before academic year `year` (2016 for 2016/17) starts, from the birth month. */
export function academicAge(birthMonth: Date, year: number): number {
  return year - birthMonth.getUTCFullYear() - (birthMonth.getUTCMonth() >= 8 ? 1 : 0);
}

/** Whole years from the birth month to a date, counting the birthday from the first of the birth month. */
export function ageAt(birthMonth: Date, on: Date): number {
  const months =
    on.getUTCFullYear() * 12 + on.getUTCMonth() - (birthMonth.getUTCFullYear() * 12 + birthMonth.getUTCMonth());
  return Math.floor(months / 12);
}

/** The same age at start in SQL, for an apprenticeship start `a` of person `p`. */
export const AGE_AT_START_SQL = Prisma.sql`floor(((EXTRACT(YEAR FROM a."startedOn") * 12 + EXTRACT(MONTH FROM a."startedOn")) - (EXTRACT(YEAR FROM p."birthMonth") * 12 + EXTRACT(MONTH FROM p."birthMonth"))) / 12)`;

/** First and last birth months of the people of academic ages `from`..`to` in academic year `year`. */
export function bornForAcademicAges(year: number, from: number, to: number): { first: Date; last: Date } {
  return { first: utc(year - to - 1, 9), last: utc(year - from, 8) };
}

/** The academic ages the NEET measures cover (Years 12 and 13). */
export const NEET_AGES = { from: 16, to: 17 } as const;

/**
 * The DfE's NEET snapshot months of an academic year: the ends of December, January and February, whose
 * average is the headline figure (2016/17: December 2016, January 2017, February 2017).
 */
export function snapshotMonths(year: number): Date[] {
  return [utc(year, 12), utc(year + 1, 1), utc(year + 1, 2)];
}

/** The twelve months of academic year `year`, September to August. */
export function academicMonths(year: number): Date[] {
  return Array.from({ length: 12 }, (_, i) => utc(year + (i >= 4 ? 1 : 0), ((i + 8) % 12) + 1));
}
