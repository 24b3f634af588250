// Reporting periods as the EES public API codes them: `<period>|<identifier>`, e.g. `2016/2017|AY`,
// `2016/2017|FYQ4`, `2016|CY`, `2017|M1`. Pure functions: parse a code into its dates, type and label,
// find the previous period of the same type, and convert to/from the CSV pair
// (`time_period` 201617 + `time_identifier` "Academic year").
import { utc } from './dates.js';

export const PERIOD_TYPES = [
  'ACADEMIC_YEAR',
  'CALENDAR_YEAR',
  'FINANCIAL_YEAR',
  'TAX_YEAR',
  'REPORTING_YEAR',
  'ACADEMIC_QUARTER',
  'CALENDAR_QUARTER',
  'FINANCIAL_QUARTER',
  'TAX_QUARTER',
  'TERM',
  'AUTUMN_AND_SPRING_TERM',
  'MONTH',
  'WEEK',
] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export interface PeriodInfo {
  code: string;
  /** EES time identifier code: AY, FY, FYQ4, M1, T1, W12... */
  identifier: string;
  type: PeriodType;
  label: string;
  /** First day (UTC midnight). */
  startDate: Date;
  /** Last day, inclusive (UTC midnight). */
  endDate: Date;
  /** First calendar year of the period: 2016 for `2016/2017|AY`. */
  year: number;
}

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** EES `time_identifier` label ↔ identifier code. */
const IDENTIFIER_LABELS: Record<string, string> = {
  AY: 'Academic year',
  CY: 'Calendar year',
  FY: 'Financial year',
  TY: 'Tax year',
  RY: 'Reporting year',
  T1: 'Autumn term',
  T1T2: 'Autumn and spring term',
  T2: 'Spring term',
  T3: 'Summer term',
};
for (const [prefix, name] of [
  ['AY', 'Academic year'],
  ['CY', 'Calendar year'],
  ['FY', 'Financial year'],
  ['TY', 'Tax year'],
] as const) {
  for (let q = 1; q <= 4; q++) IDENTIFIER_LABELS[`${prefix}Q${q}`] = `${name} Q${q}`;
}
MONTHS.forEach((m, i) => {
  IDENTIFIER_LABELS[`M${i + 1}`] = m;
});
for (let w = 1; w <= 53; w++) IDENTIFIER_LABELS[`W${w}`] = `Week ${w}`;

const IDENTIFIER_BY_LABEL = new Map(
  Object.entries(IDENTIFIER_LABELS).map(([code, label]) => [label.toLowerCase(), code]),
);

/** Identifiers whose period spans two calendar years and is written `YYYY/YYYY`. */
function isTwoYear(identifier: string): boolean {
  return /^(AY|FY|TY)(Q[1-4])?$/.test(identifier) || /^T(1|2|3|1T2)$/.test(identifier);
}

function typeOf(identifier: string): PeriodType {
  if (identifier === 'AY') return 'ACADEMIC_YEAR';
  if (identifier === 'CY') return 'CALENDAR_YEAR';
  if (identifier === 'FY') return 'FINANCIAL_YEAR';
  if (identifier === 'TY') return 'TAX_YEAR';
  if (identifier === 'RY') return 'REPORTING_YEAR';
  if (/^AYQ[1-4]$/.test(identifier)) return 'ACADEMIC_QUARTER';
  if (/^CYQ[1-4]$/.test(identifier)) return 'CALENDAR_QUARTER';
  if (/^FYQ[1-4]$/.test(identifier)) return 'FINANCIAL_QUARTER';
  if (/^TYQ[1-4]$/.test(identifier)) return 'TAX_QUARTER';
  if (identifier === 'T1T2') return 'AUTUMN_AND_SPRING_TERM';
  if (/^T[1-3]$/.test(identifier)) return 'TERM';
  if (/^M([1-9]|1[0-2])$/.test(identifier)) return 'MONTH';
  if (/^W([1-9]|[1-4]\d|5[0-3])$/.test(identifier)) return 'WEEK';
  throw new PeriodError(`Unknown time identifier "${identifier}"`);
}

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0));

function isoWeeksInYear(y: number): number {
  // A year has 53 ISO weeks when 1 January is a Thursday, or a Wednesday in a leap year.
  const jan1 = utc(y, 1, 1).getUTCDay();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

function isoWeekStart(y: number, w: number): Date {
  const jan4 = utc(y, 1, 4);
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000);
  return new Date(monday.getTime() + (w - 1) * 7 * 86400000);
}

function bounds(identifier: string, y: number): [Date, Date] {
  const quarter = /Q([1-4])$/.exec(identifier);
  const q = quarter ? Number(quarter[1]) : 0;
  // first month of each quarter's year: academic Sep, financial/tax Apr, calendar Jan
  const startMonth = (yearStart: number) => {
    const m = yearStart + (q - 1) * 3;
    return m > 12 ? [y + 1, m - 12] : [y, m];
  };
  switch (identifier) {
    case 'AY':
      return [utc(y, 9, 1), utc(y + 1, 8, 31)];
    case 'FY':
      return [utc(y, 4, 1), utc(y + 1, 3, 31)];
    case 'TY':
      return [utc(y, 4, 6), utc(y + 1, 4, 5)];
    case 'CY':
    case 'RY':
      return [utc(y, 1, 1), utc(y, 12, 31)];
    case 'T1':
      return [utc(y, 9, 1), utc(y, 12, 31)];
    case 'T2':
      return [utc(y + 1, 1, 1), utc(y + 1, 3, 31)];
    case 'T3':
      return [utc(y + 1, 4, 1), utc(y + 1, 8, 31)];
    case 'T1T2':
      return [utc(y, 9, 1), utc(y + 1, 3, 31)];
  }
  if (q) {
    const base = identifier.startsWith('AY') ? 9 : identifier.startsWith('CY') ? 1 : 4;
    const [sy, sm] = startMonth(base);
    const endMonth = sm + 2;
    return [utc(sy, sm, 1), lastDay(sy, endMonth)];
  }
  const month = /^M(\d+)$/.exec(identifier);
  if (month) {
    const m = Number(month[1]);
    return [utc(y, m, 1), lastDay(y, m)];
  }
  const week = /^W(\d+)$/.exec(identifier);
  if (week) {
    const w = Number(week[1]);
    if (w > isoWeeksInYear(y)) throw new PeriodError(`${y} has no ISO week ${w}`);
    const start = isoWeekStart(y, w);
    return [start, new Date(start.getTime() + 6 * 86400000)];
  }
  throw new PeriodError(`Unknown time identifier "${identifier}"`);
}

function yearText(identifier: string, y: number): string {
  return isTwoYear(identifier) ? `${y}/${y + 1}` : `${y}`;
}

function labelOf(identifier: string, y: number): string {
  const span = isTwoYear(identifier) ? `${y}/${String(y + 1).slice(2)}` : `${y}`;
  if (identifier === 'AY') return `${span} academic year`;
  if (identifier === 'FY') return `${span} financial year`;
  if (identifier === 'TY') return `${span} tax year`;
  if (identifier === 'CY') return `${span} calendar year`;
  if (identifier === 'RY') return `${span} reporting year`;
  const q = /^(AY|CY|FY|TY)Q([1-4])$/.exec(identifier);
  if (q) {
    const kind = { AY: 'academic', CY: 'calendar', FY: 'financial', TY: 'tax' }[q[1] as 'AY'];
    return `Q${q[2]} ${span} ${kind} year`;
  }
  if (identifier.startsWith('T')) return `${IDENTIFIER_LABELS[identifier]} ${span}`;
  if (identifier.startsWith('M')) return `${IDENTIFIER_LABELS[identifier]} ${y}`;
  return `${IDENTIFIER_LABELS[identifier]} ${y}`;
}

/** Parses a period code such as `2016/2017|AY`; throws PeriodError saying what was expected. */
export function parsePeriod(code: string): PeriodInfo {
  const m = /^(\d{4})(?:\/(\d{4}))?\|([A-Z0-9]+)$/.exec(code.trim());
  if (!m) {
    throw new PeriodError(
      `Period "${code}" is not a period code: expected "<period>|<identifier>" such as "2016/2017|AY", "2016|CY" or "2017|M1"`,
    );
  }
  const y = Number(m[1]);
  const identifier = m[3];
  const type = typeOf(identifier);
  if (isTwoYear(identifier)) {
    if (!m[2] || Number(m[2]) !== y + 1) {
      throw new PeriodError(
        `Period "${code}": ${identifier} periods are written as two consecutive years, e.g. "${y}/${y + 1}|${identifier}"`,
      );
    }
  } else if (m[2]) {
    throw new PeriodError(`Period "${code}": ${identifier} periods are written as one year, e.g. "${y}|${identifier}"`);
  }
  const [startDate, endDate] = bounds(identifier, y);
  return {
    code: `${yearText(identifier, y)}|${identifier}`,
    identifier,
    type,
    label: labelOf(identifier, y),
    startDate,
    endDate,
    year: y,
  };
}

export function isPeriodCode(code: string): boolean {
  try {
    parsePeriod(code);
    return true;
  } catch {
    return false;
  }
}

export function periodCode(identifier: string, year: number): string {
  return `${yearText(identifier, year)}|${identifier}`;
}

/** The immediately preceding period of the same type (`2015/2016|AY` for `2016/2017|AY`, `2016|M12` for `2017|M1`). */
export function previousPeriodCode(code: string): string {
  const p = parsePeriod(code);
  const id = p.identifier;
  const y = p.year;
  const q = /^(AY|CY|FY|TY)Q([1-4])$/.exec(id);
  if (q) {
    const n = Number(q[2]);
    return n === 1 ? periodCode(`${q[1]}Q4`, y - 1) : periodCode(`${q[1]}Q${n - 1}`, y);
  }
  const mo = /^M(\d+)$/.exec(id);
  if (mo) {
    const n = Number(mo[1]);
    return n === 1 ? periodCode('M12', y - 1) : periodCode(`M${n - 1}`, y);
  }
  const wk = /^W(\d+)$/.exec(id);
  if (wk) {
    const n = Number(wk[1]);
    return n === 1 ? periodCode(`W${isoWeeksInYear(y - 1)}`, y - 1) : periodCode(`W${n - 1}`, y);
  }
  if (/^T[1-3]$/.test(id)) {
    const n = Number(id[1]);
    return n === 1 ? periodCode('T3', y - 1) : periodCode(`T${n - 1}`, y);
  }
  return periodCode(id, y - 1);
}

/** EES CSV columns → period code: (`201617`, `Academic year`) → `2016/2017|AY`. */
export function periodFromEes(timePeriod: string, timeIdentifier: string): string {
  const identifier = IDENTIFIER_BY_LABEL.get(timeIdentifier.trim().toLowerCase());
  if (!identifier) {
    throw new PeriodError(
      `time_identifier "${timeIdentifier}" is not an EES time identifier (expected e.g. "Academic year", "Financial year", "Calendar year", "Financial year Q4", "January")`,
    );
  }
  const tp = timePeriod.trim();
  if (isTwoYear(identifier)) {
    const m = /^(\d{4})(\d{2})$/.exec(tp);
    if (!m) throw new PeriodError(`time_period "${timePeriod}" for "${timeIdentifier}" must be six digits like 201617`);
    const y = Number(m[1]);
    if ((y + 1) % 100 !== Number(m[2])) {
      throw new PeriodError(
        `time_period "${timePeriod}" must name two consecutive years, like ${y}${String((y + 1) % 100).padStart(2, '0')}`,
      );
    }
    return parsePeriod(periodCode(identifier, y)).code;
  }
  if (!/^\d{4}$/.test(tp))
    throw new PeriodError(`time_period "${timePeriod}" for "${timeIdentifier}" must be a year like 2016`);
  return parsePeriod(periodCode(identifier, Number(tp))).code;
}

/** Period code → EES CSV columns: `2016/2017|AY` → { time_period: '201617', time_identifier: 'Academic year' }. */
export function periodToEes(code: string): { time_period: string; time_identifier: string } {
  const p = parsePeriod(code);
  const time_period = isTwoYear(p.identifier) ? `${p.year}${String((p.year + 1) % 100).padStart(2, '0')}` : `${p.year}`;
  return { time_period, time_identifier: IDENTIFIER_LABELS[p.identifier] };
}

/** The identifier that stands for a period type's whole year (for indicators declared by type). */
export const TYPE_IDENTIFIER: Partial<Record<PeriodType, string>> = {
  ACADEMIC_YEAR: 'AY',
  CALENDAR_YEAR: 'CY',
  FINANCIAL_YEAR: 'FY',
  TAX_YEAR: 'TY',
  REPORTING_YEAR: 'RY',
};

/** The period of a given type containing a date, for yearly types (`2017-01-15`, ACADEMIC_YEAR → `2016/2017|AY`). */
export function yearPeriodContaining(date: Date, type: PeriodType): string {
  const id = TYPE_IDENTIFIER[type];
  if (!id) throw new PeriodError(`${type} is not a yearly period type`);
  const y = date.getUTCFullYear();
  for (const candidate of [y - 1, y]) {
    const p = parsePeriod(periodCode(id, candidate));
    if (p.startDate <= date && date <= p.endDate) return p.code;
  }
  return periodCode(id, y);
}
