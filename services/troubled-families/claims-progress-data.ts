// The payment-by-results claims table the council returns each quarter: per district, valid claims by
// claim window, this financial year and last, against the MINIMUM and STRETCH targets of TF_CLAIMS.
// Per request: one statement per financial year for the claims (every district at once), one for the
// targets, and the engine's once-per-request area and period directories, however many areas or tables
// are asked for.
import type { Context } from '../../src/context.js';
import { iso } from '../../src/core/dates.js';
import { UserInputError } from '../../src/core/errors.js';
import { isPeriodCode, parsePeriod, previousPeriodCode } from '../../src/core/period-codes.js';
import { areaDirectory } from '../../src/core/reporting/directories.js';
import { requireArea, requirePeriod } from '../../src/core/reporting/graphql/args.js';
import type { Area, Target } from '../../src/generated/prisma/client.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export interface WindowClaims {
  window: string;
  claims: number;
}

export interface ClaimsProgressRowData {
  area: Area | null;
  previousYearClaims: number;
  byWindow: WindowClaims[];
  claims: number;
  minimumTarget: number | null;
  stretchTarget: number | null;
  percentOfMinimum: number | null;
  percentOfStretch: number | null;
}

export interface ClaimsProgressData {
  period: string;
  windows: string[];
  rows: ClaimsProgressRowData[];
  total: ClaimsProgressRowData;
}

/** Valid claims of one financial year: per district and window, with each window's first submission. */
interface YearClaims {
  /** district → window → valid claims */
  counts: Map<string, Map<string, number>>;
  /** Windows with any claim submitted in the year (rejected ones too), in submission order. */
  windows: string[];
}

interface ClaimsSqlRow {
  district_code: string;
  window: string;
  claims: number;
  first_submitted: Date;
}

/** The one statement for a financial year's claims, every district at once. */
export function yearClaimsSql(periodCode: string): Prisma.Sql {
  const p = parsePeriod(periodCode);
  return Prisma.sql`
    SELECT f."districtCode" AS district_code, c."window" AS "window",
           (COUNT(*) FILTER (WHERE c.status <> 'REJECTED'))::int AS claims,
           MIN(c."submittedOn") AS first_submitted
    FROM "PbrClaim" c JOIN "TroubledFamily" f ON f.id = c."familyId"
    WHERE c."submittedOn" BETWEEN ${iso(p.startDate)}::date AND ${iso(p.endDate)}::date
    GROUP BY f."districtCode", c."window"`;
}

/** Folds the statement's rows: pure, exported for tests. */
export function foldYearClaims(rows: ClaimsSqlRow[]): YearClaims {
  const counts = new Map<string, Map<string, number>>();
  const first = new Map<string, number>();
  for (const r of rows) {
    const byWindow = counts.get(r.district_code) ?? new Map<string, number>();
    byWindow.set(r.window, (byWindow.get(r.window) ?? 0) + Number(r.claims));
    counts.set(r.district_code, byWindow);
    const t = new Date(r.first_submitted).getTime();
    first.set(r.window, Math.min(first.get(r.window) ?? t, t));
  }
  const windows = [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)! || a.localeCompare(b));
  return { counts, windows };
}

function yearClaims(ctx: Context, periodCode: string): Promise<YearClaims> {
  return ctx
    .loader<string, YearClaims>('troubledFamilies.yearClaims', (keys) =>
      Promise.all(
        keys.map(async (k) => foldYearClaims(await ctx.db.prisma.$queryRaw<ClaimsSqlRow[]>(yearClaimsSql(k)))),
      ),
    )
    .load(periodCode);
}

/** TF_CLAIMS targets of a period, by area (one statement per batch of periods). */
function claimTargets(ctx: Context, periodCode: string): Promise<Map<string, Target[]>> {
  return ctx
    .loader<string, Map<string, Target[]>>('troubledFamilies.claimTargets', async (keys) => {
      const rows = await ctx.db.prisma.target.findMany({
        where: { indicatorCode: 'TF_CLAIMS', periodCode: { in: [...keys] } },
      });
      return keys.map((k) => {
        const byArea = new Map<string, Target[]>();
        for (const r of rows) if (r.periodCode === k) byArea.set(r.areaCode, [...(byArea.get(r.areaCode) ?? []), r]);
        return byArea;
      });
    })
    .load(periodCode);
}

const percent = (claims: number, target: number | null) => (target ? (100 * claims) / target : null);

function row(
  area: Area | null,
  districts: string[],
  windows: string[],
  current: YearClaims,
  previous: YearClaims,
  targets: Target[],
): ClaimsProgressRowData {
  const sum = (year: YearClaims, window?: string) =>
    districts.reduce((s, d) => {
      const byWindow = year.counts.get(d);
      if (!byWindow) return s;
      return s + (window ? (byWindow.get(window) ?? 0) : [...byWindow.values()].reduce((a, b) => a + b, 0));
    }, 0);
  const claims = sum(current);
  const minimumTarget = targets.find((t) => t.kind === 'MINIMUM')?.value ?? null;
  const stretchTarget = targets.find((t) => t.kind === 'STRETCH')?.value ?? null;
  return {
    area,
    previousYearClaims: sum(previous),
    byWindow: windows.map((window) => ({ window, claims: sum(current, window) })),
    claims,
    minimumTarget,
    stretchTarget,
    percentOfMinimum: percent(claims, minimumTarget),
    percentOfStretch: percent(claims, stretchTarget),
  };
}

/**
 * The claims table for a financial year and an area: one row per district of a local authority (by
 * name) and the LA's total against its own targets; for a district, its one row and the same as total.
 */
export async function claimsProgress(ctx: Context, periodArg: string, areaArg: string): Promise<ClaimsProgressData> {
  if (isPeriodCode(periodArg) && parsePeriod(periodArg).type !== 'FINANCIAL_YEAR') {
    throw new UserInputError(
      `Claims are counted by financial year: "${periodArg}" is a ${parsePeriod(periodArg).type} period; use e.g. "2016/2017|FY"`,
      'period',
    );
  }
  const [area, period, directory] = await Promise.all([
    requireArea(ctx, areaArg, 'area'),
    requirePeriod(ctx, periodArg, 'period'),
    areaDirectory(ctx),
  ]);
  if (area.level !== 'LOCAL_AUTHORITY' && area.level !== 'DISTRICT') {
    throw new UserInputError(
      `Claims are reported for a local authority and its districts; ${area.name} (${area.code}) is ${area.level}`,
      'area',
    );
  }
  const [current, previous, targets] = await Promise.all([
    yearClaims(ctx, period.code),
    yearClaims(ctx, previousPeriodCode(period.code)),
    claimTargets(ctx, period.code),
  ]);
  const rowAreas =
    area.level === 'DISTRICT'
      ? [area]
      : [...directory.byCode.values()]
          .filter((a) => a.parentCode === area.code && a.level === 'DISTRICT')
          .sort((a, b) => a.name.localeCompare(b.name));
  const codes = rowAreas.map((a) => a.code);
  // Only windows in which this area's districts submitted anything: another LA's windows are not ours.
  const windows = current.windows.filter((w) => codes.some((d) => current.counts.get(d)?.has(w)));
  const rows = rowAreas.map((a) => row(a, [a.code], windows, current, previous, targets.get(a.code) ?? []));
  const total = row(null, codes, windows, current, previous, targets.get(area.code) ?? []);
  return { period: period.code, windows, rows, total };
}
