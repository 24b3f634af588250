// SQL helpers for plugins' facts and cohort queries: a period's first and last day as date parameters.

import { Prisma } from '../generated/prisma/client.js';
import { iso } from './dates.js';
import type { PeriodInfo } from './period-codes.js';

/** A period's first and last day (inclusive) as SQL `date` parameters: `x BETWEEN ${start} AND ${end}`. */
export function periodBounds(period: PeriodInfo) {
  return { start: Prisma.sql`${iso(period.startDate)}::date`, end: Prisma.sql`${iso(period.endDate)}::date` };
}
