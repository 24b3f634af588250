// Shared cell parsers for import formats: each turns one CSV cell (a string, '' when blank) into a typed
// value or a zod issue whose message says what was expected. The framework adds line, column and value,
// so messages here only say what a good value looks like. Formats build their row schemas from these.
import { z } from 'zod';
import { iso } from '../dates.js';
import { PeriodError, periodFromEes } from '../period-codes.js';

const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** A required text cell (trimmed, not blank). */
export const text = (what = 'a value') =>
  z.string().transform((s, ctx) => (s.trim() === '' ? fail(ctx, `expected ${what}, found a blank`) : s.trim()));

/** Wraps a cell parser so that a blank cell is `null` instead of an error. */
export const blankAsNull = <T>(inner: z.ZodType<T, string>) =>
  z.string().transform((s, ctx): T | null => {
    if (s.trim() === '') return null;
    const r = inner.safeParse(s);
    if (r.success) return r.data;
    return fail(ctx, r.error.issues[0]?.message ?? 'invalid value');
  });

const TRUE = new Set(['true', 'y', 'yes', '1']);
const FALSE = new Set(['false', 'n', 'no', '0']);
export const BOOLEAN_TYPE = 'boolean: true/false, Y/N or 1/0 (any case)';

/** true/false, Y/N (also yes/no), 1/0, in any case. */
export const boolean = () =>
  z.string().transform((s, ctx) => {
    const v = s.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return fail(ctx, 'expected a boolean: true/false, Y/N or 1/0');
  });

export const DATE_TYPE = 'date YYYY-MM-DD';

/** An ISO calendar date `YYYY-MM-DD` (a real day: 2017-02-30 is refused), as UTC midnight. */
export const isoDate = () =>
  z.string().transform((s, ctx) => {
    const v = s.trim();
    const d = new Date(`${v}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || iso(d) !== v) {
      return fail(ctx, 'expected a date YYYY-MM-DD');
    }
    return d;
  });

export const MONTH_TYPE = 'month YYYY-MM';

/** A month `YYYY-MM`, as the first day of the month (UTC). */
export const month = () =>
  z.string().transform((s, ctx) => {
    const m = /^(\d{4})-(\d{2})$/.exec(s.trim());
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return fail(ctx, 'expected a month YYYY-MM');
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  });

/** A whole number, optionally within bounds. */
export const integer = ({ min, max }: { min?: number; max?: number } = {}) =>
  z.string().transform((s, ctx) => {
    const v = s.trim();
    const n = Number(v);
    const range =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` of at least ${min}`
          : max !== undefined
            ? ` of at most ${max}`
            : '';
    if (
      !/^[+-]?\d+$/.test(v) ||
      !Number.isSafeInteger(n) ||
      (min !== undefined && n < min) ||
      (max !== undefined && n > max)
    ) {
      return fail(ctx, `expected a whole number${range}`);
    }
    return n;
  });

/** A decimal number (`12`, `-0.5`, `1e3`); no thousands separators, no symbols. */
export const decimal = () =>
  z.string().transform((s, ctx) => {
    const v = s.trim();
    const n = Number(v);
    if (v === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) || !Number.isFinite(n)) {
      return fail(ctx, 'expected a number such as 12 or 45.6');
    }
    return n;
  });

/**
 * One of a fixed set of codes, matched exactly after trimming; `aliases` map other spellings (`NAT` →
 * NATIONAL) accepted besides the codes. The message lists what is accepted.
 */
export const oneOf = <T extends string>(values: readonly T[], aliases: Record<string, T> = {}) =>
  codes<T>({ ...aliases, ...Object.fromEntries(values.map((v) => [v, v])) });

/** Only these spellings, each standing for a stored value (`F` → FEMALE, `M` → MALE). */
export const codes = <T extends string>(accepted: Record<string, T>) => {
  const list = Object.keys(accepted).join('|');
  return z.string().transform((s, ctx): T => {
    const v = s.trim();
    return Object.hasOwn(accepted, v) ? accepted[v] : fail(ctx, `expected one of ${list}`);
  });
};

export const PERIOD_TYPE_TEXT =
  'EES time_period (2016, 201617) with time_identifier ("Academic year", "Financial year", "Calendar year", …)';

/**
 * Adds a `periodCode` from the EES pair `time_period` + `time_identifier` to an object schema's output.
 * A bad identifier is reported on `time_identifier`, a bad period on `time_period`.
 */
export function eesPeriod(timePeriod: string, timeIdentifier: string, ctx: z.RefinementCtx): string {
  try {
    return periodFromEes(timePeriod, timeIdentifier);
  } catch (e) {
    if (!(e instanceof PeriodError)) throw e;
    // periodFromEes names the faulty half first in its message.
    ctx.addIssue({
      code: 'custom',
      path: [e.message.startsWith('time_identifier') ? 'time_identifier' : 'time_period'],
      message: e.message,
    });
    return z.NEVER;
  }
}

export const AREA_LEVEL_ALIASES = {
  NAT: 'NATIONAL',
  National: 'NATIONAL',
  REG: 'REGIONAL',
  Regional: 'REGIONAL',
  LA: 'LOCAL_AUTHORITY',
  'Local authority': 'LOCAL_AUTHORITY',
  LAD: 'DISTRICT',
  'Local authority district': 'DISTRICT',
} as const;
