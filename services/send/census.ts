// The January school census date, on which the DfE's SEN2 return counts EHC plans in force: the third
// Thursday of January (19 January 2017, 18 January 2018).
import type { PeriodInfo } from '../../src/core/period-codes.js';

export function januaryCensusDate(year: number): Date {
  const weekday = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - weekday + 7) % 7);
  return new Date(Date.UTC(year, 0, firstThursday + 14));
}

/** The January census date that falls inside a period (the first, for periods over a year), or null. */
export function censusDateIn(period: PeriodInfo): Date | null {
  for (let y = period.startDate.getUTCFullYear(); y <= period.endDate.getUTCFullYear(); y++) {
    const d = januaryCensusDate(y);
    if (d >= period.startDate && d <= period.endDate) return d;
  }
  return null;
}
