// Published figures the demo seed is calibrated to, transcribed from the seed documents, and the demo's
// own synthetic history around them. Nothing here is record level.
// - seeds/004 (2016-17 progress): "In March there were 304 first time entrants. Figures since February
//   2017 are at the lowest level ever recorded. Custodial sentences as a proportion of court disposals
//   were 4% at the end of March" (the twelve months to March 2017: financial year 2016/17);
// - seeds/004 (by 2018): "Reduce the number of first time entrants to the youth justice system to no more
//   than 350 young people, and the rate of re-offending will be no more than 28%";
// - seeds/000 (Youth Justice equalities): children in care, BME and Gypsy/Roma/Traveller children are
//   over-represented; "about 35% of the Kent youth population in custody have a statement of SEN or an
//   EHC plan" (so custody favours EHCP in the seed).

/** First-time entrants per financial year (by its first calendar year), at scale 1 (Kent). 2016: published. */
export const FIRST_TIME_ENTRANTS: Record<number, number> = { 2013: 560, 2014: 470, 2015: 380, 2016: 304, 2017: 296 };

/**
 * Re-offending (binary, 12 months) per financial year: synthetic, falling towards the 28% target. The last
 * year's follow-up is cut by the data's end, so its realised rate is lower than this.
 */
export const REOFFENDING: Record<number, number> = { 2013: 0.38, 2014: 0.36, 2015: 0.33, 2016: 0.3, 2017: 0.29 };

/** Custodial share of court disposals per financial year. 2016: published (4%); earlier years synthetic. */
export const CUSTODY_SHARE: Record<number, number> = { 2013: 0.06, 2014: 0.055, 2015: 0.05, 2016: 0.04, 2017: 0.04 };

/** "No more than 350" first-time entrants and "no more than 28%" re-offending, by 2018 (financial years). */
export const FTE_TARGET = 350;
export const REOFFENDING_TARGET = 28;
export const TARGET_YEARS = [2017, 2018];

/** The demo's extract date: no disposal is later (re-offending of 2017/18 is therefore incomplete). */
export const DATA_END = '2018-03-31';
export const FIRST_YEAR = 2013;
export const LAST_YEAR = 2017;
