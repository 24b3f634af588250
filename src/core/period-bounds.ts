// SQL helpers for plugins' facts and cohort queries: a period's first and last day as date parameters.
import { Prisma } from '../generated/prisma/client.js';
import type { PeriodInfo } from './period-codes.js';

/** `YYYY-MM-DD` of a date, in UTC. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** A period's first and last day (inclusive) as SQL `date` parameters: `x BETWEEN ${start} AND ${end}`. */
export function periodBounds(period: PeriodInfo) {
  return { start: Prisma.sql`${isoDate(period.startDate)}::date`, end: Prisma.sql`${isoDate(period.endDate)}::date` };
}
