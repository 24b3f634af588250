// Published figures the demo seed is calibrated to, transcribed from the seed documents:
// seeds/000 "Key Equalities Issues for Troubled Families" (district claims table, 2016/17) and
// "Early Help and Preventative Services"; seeds/004 (early help progress 2016/17 and targets).
// Nothing here is record level: these are the council's published aggregates.

/** Claim windows, in submission order, with the date the synthetic claims are submitted on. */
export const CLAIM_WINDOWS = [
  // The 20 claims of 2015/16 were made before the first 2016/17 window; the table gives no window name.
  { window: 'MAR 16', submittedOn: '2016-03-18', financialYear: 2015 },
  { window: 'SUMMER 16', submittedOn: '2016-07-29', financialYear: 2016 },
  { window: 'JAN 17', submittedOn: '2017-01-27', financialYear: 2016 },
  // "In the latest claims window (still being audited)": submitted, not yet validated.
  { window: 'MAR 17', submittedOn: '2017-03-24', financialYear: 2016 },
] as const;
export type ClaimWindow = (typeof CLAIM_WINDOWS)[number]['window'];

/**
 * The district table: claims per window, and the stretch target. The table's district minimum
 * targets are the LA's minimum (1580) shared out in proportion to the stretch targets, so they are
 * fractional (Ashford 153 × 1580 / 2022 = 119.55…): that reproduces every published "percentage
 * towards minimum target" to its one decimal place, while the rounded targets printed would not.
 */
export const DISTRICT_CLAIMS: {
  code: string;
  name: string;
  claims: Record<ClaimWindow, number>;
  stretch: number;
}[] = [
  { code: 'E07000105', name: 'Ashford', claims: c(0, 58, 90, 73), stretch: 153 },
  { code: 'E07000106', name: 'Canterbury', claims: c(1, 63, 74, 51), stretch: 226 },
  { code: 'E07000107', name: 'Dartford', claims: c(2, 34, 49, 33), stretch: 75 },
  { code: 'E07000108', name: 'Dover', claims: c(0, 63, 87, 83), stretch: 211 },
  { code: 'E07000109', name: 'Gravesham', claims: c(2, 64, 79, 52), stretch: 142 },
  { code: 'E07000110', name: 'Maidstone', claims: c(1, 40, 91, 62), stretch: 149 },
  { code: 'E07000111', name: 'Sevenoaks', claims: c(0, 36, 35, 27), stretch: 80 },
  // Shepway in the table; renamed Folkestone and Hythe in 2018 (same ONS code).
  { code: 'E07000112', name: 'Folkestone and Hythe', claims: c(0, 57, 85, 72), stretch: 178 },
  { code: 'E07000113', name: 'Swale', claims: c(7, 78, 128, 60), stretch: 292 },
  { code: 'E07000114', name: 'Thanet', claims: c(1, 59, 102, 106), stretch: 288 },
  { code: 'E07000115', name: 'Tonbridge and Malling', claims: c(3, 40, 92, 48), stretch: 138 },
  { code: 'E07000116', name: 'Tunbridge Wells', claims: c(3, 28, 34, 36), stretch: 90 },
];

function c(mar16: number, summer16: number, jan17: number, mar17: number): Record<ClaimWindow, number> {
  return { 'MAR 16': mar16, 'SUMMER 16': summer16, 'JAN 17': jan17, 'MAR 17': mar17 };
}

/** Kent's 2016/17 targets (DCLG minimum, and the council's stretch). */
export const LA_MINIMUM_TARGET = 1580;
export const LA_STRETCH_TARGET = 2022;
export const TARGET_PERIOD = '2016/2017|FY';

export function districtMinimumTarget(stretch: number): number {
  return (stretch * LA_MINIMUM_TARGET) / LA_STRETCH_TARGET;
}

/**
 * Families attached per month, at scale 1. "As at January 2017 we had successfully verified 5121
 * families" since Phase Two began in April 2015: 190 a month in 2015/16 and 284 a month from April
 * 2016 give 2280 + 10 × 284 = 5120 by the end of January 2017.
 */
export const ATTACHMENTS_PER_MONTH: { from: string; to: string; perMonth: number }[] = [
  { from: '2015-04-01', to: '2016-03-31', perMonth: 190 },
  { from: '2016-04-01', to: '2017-03-31', perMonth: 284 },
];

/** Share of troubled families meeting each headline criterion (national Phase Two profile, rounded). */
export const CRITERIA_SHARE = {
  CRIME_ASB: 0.3,
  EDUCATION: 0.5,
  CHILDREN_IN_NEED: 0.6,
  WORKLESSNESS: 0.6,
  DOMESTIC_ABUSE: 0.35,
  // "71% having a physical health problem and 46% a mental health concern"
  HEALTH: 0.75,
} as const;

/** Early help: share of closed intensive cases closed with outcomes achieved, by financial year. */
export const OUTCOMES_ACHIEVED_BY_YEAR: Record<number, number> = {
  // "83.4% of cases are now closed with a positive outcome … compared to 69% last year" (seeds/000)
  2014: 0.69,
  2015: 0.834,
  // "intensive work in units is achieving a good outcome in 80% of cases" (seeds/004, 2016/17)
  2016: 0.8,
  // Not published: held at the latest published rate.
  2017: 0.8,
};

/** Targets for closed intensive cases with outcomes achieved (percent), by financial year start. */
export const OUTCOMES_TARGETS: Record<number, number> = {
  2015: 80, // "Early Help aims to close at least 80% of cases with outcomes achieved" (seeds/000)
  2016: 80,
  2017: 86, // "by 2018 … at least 86% of intensive support cases are closed with … outcomes" (seeds/004)
  2018: 90, // "at least 90% of intensive support cases are closed with outcomes achieved" (seeds/004)
};

/** "Reduce the rate of re-referrals … within 12 months … to below 7% by 2020" (seeds/004). */
export const REREFERRAL_TARGET = { period: '2019/2020|FY', value: 7 };

/** "Between 600 and 700 cases are closed every month" (seeds/000), at scale 1. */
export const EARLY_HELP_CASES_PER_MONTH = 650;
/** "Around 6% of cases closed to Early Help are stepped up to Social Care" (seeds/000). */
export const STEPPED_UP_SHARE = 0.06;
/**
 * Share of cases opened that come as a step-down from social care. The documents give the share of
 * social care closures stepped down (22.7%, 23%), not this; a fifth of openings is a demo choice.
 */
export const STEP_DOWN_SHARE_OF_OPENINGS = 0.2;
/** The extract date: cases still open then have no closure date; nothing later exists. */
export const EARLY_HELP_AS_AT = '2018-03-31';
