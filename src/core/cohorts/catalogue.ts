// The cohort catalogue: every enabled plugin's cohorts (named sets of people in a period), validated, and
// the rules for reading a cohort argument and aligning a period to another cohort's period type.
import type { Context } from '../../context.js';
import { UserInputError } from '../errors.js';
import {
  PeriodError,
  type PeriodInfo,
  type PeriodType,
  parsePeriod,
  periodCode,
  TYPE_IDENTIFIER,
} from '../period-codes.js';
import type { CohortDefinition, ServicePlugin } from '../plugin.js';

/** A cohort with the service (plugin key) that declares it. */
export interface CohortInfo extends CohortDefinition {
  service: string;
}

const KEY = /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;

/** Checks keys: `<pluginKey>.<name>`, unique. Throws naming the culprit. */
export function validateCohorts(services: ServicePlugin[]): void {
  const seen = new Set<string>();
  for (const s of services) {
    for (const c of s.cohorts) {
      const where = `cohort ${c.key} of service ${s.key}`;
      if (!KEY.test(c.key) || !c.key.startsWith(`${s.key}.`)) {
        throw new Error(`${where}: key must be "${s.key}.<name>" in camelCase`);
      }
      if (seen.has(c.key)) throw new Error(`${where}: key already used`);
      seen.add(c.key);
    }
  }
}

const cache = new WeakMap<ServicePlugin[], CohortInfo[]>();
/** Every enabled plugin's cohorts, in plugin order. */
export function cohortCatalogue(services: ServicePlugin[]): CohortInfo[] {
  let list = cache.get(services);
  if (!list) {
    validateCohorts(services);
    list = services.flatMap((s) => s.cohorts.map((c) => ({ ...c, service: s.key })));
    cache.set(services, list);
  }
  return list;
}

/** The enabled cohort with this key, or a typed error naming the argument and listing the keys. */
export function requireCohort(ctx: Pick<Context, 'services'>, key: string, argument: string): CohortInfo {
  const all = cohortCatalogue(ctx.services);
  const found = all.find((c) => c.key === key.trim());
  if (!found) {
    throw new UserInputError(
      `No enabled service has a cohort "${key}" (cohorts: ${all.map((c) => c.key).join(', ') || 'none'})`,
      argument,
    );
  }
  return found;
}

/** A period code of the cohort's period type, or a typed error naming the argument. */
export function requireCohortPeriod(cohort: CohortInfo, code: string, argument: string): PeriodInfo {
  let p: PeriodInfo;
  try {
    p = parsePeriod(code);
  } catch (e) {
    if (e instanceof PeriodError) throw new UserInputError(e.message, argument);
    throw e;
  }
  if (p.type !== cohort.periodType) {
    throw new UserInputError(
      `Cohort ${cohort.key} is defined by ${cohort.periodType}; "${code}" is a ${p.type} period`,
      argument,
    );
  }
  return p;
}

const DAY = 86_400_000;
const overlapDays = (a: PeriodInfo, b: PeriodInfo) =>
  Math.max(
    0,
    Math.min(a.endDate.getTime(), b.endDate.getTime()) - Math.max(a.startDate.getTime(), b.startDate.getTime()),
  ) /
    DAY +
  1;

/**
 * The period of `type` that shares most days with `period` (for comparing cohorts kept by different
 * years: financial year 2016/17 → academic year 2016/17, which shares seven of its months). Null when
 * `type` is not a yearly type, so the caller must be told to name the period.
 */
export function alignPeriod(period: PeriodInfo, type: PeriodType): PeriodInfo | null {
  if (period.type === type) return period;
  const identifier = TYPE_IDENTIFIER[type];
  if (!identifier) return null;
  const candidates = [period.year - 1, period.year, period.year + 1].map((y) => parsePeriod(periodCode(identifier, y)));
  // Most shared days; on a tie, the earlier year (a cohort is usually looked back on).
  return candidates.reduce((best, c) => (overlapDays(c, period) > overlapDays(best, period) ? c : best));
}
