// Indicators out as CSV in the DfE open-data (EES) tidy layout: one row per area x period x breakdown,
// one value column per indicator (plus its numerator and denominator), symbols where a figure is not a
// number. The figures are the reporting engine's, for the caller's context, so the caller's disclosure rules
// apply (suppressed cells come out as `c`). The file re-imports as `core/ees` with `exportMap()`.
import type { Context } from '../../context.js';
import { UserInputError } from '../errors.js';
import { parsePeriod, periodToEes } from '../period-codes.js';
import { type AreaFigures, areaFigures, type Cell } from '../reporting/area-figures.js';
import { findIndicator } from '../reporting/catalogue.js';
import { cellDenominator, cellNumerator, cellValue } from '../reporting/cell-figures.js';
import type { Figure } from '../reporting/engine.js';
import { DIMENSION_GROUPS, PERSON_DIMENSIONS } from '../reporting/facts.js';
import { requireArea, requirePeriod } from '../reporting/graphql/args.js';
import type { IndicatorInfo } from '../reporting/indicator-types.js';
import type { EesMap } from './formats/ees.js';

export interface ExportRequest {
  /** Indicator codes (columns), in order. */
  codes: string[];
  /** Area codes (rows), in order. */
  areas: string[];
  /** Period codes such as `2016/2017|AY` (not the EES time_period pair). */
  periods: string[];
}

export const GEOGRAPHY_COLUMNS = [
  'time_period',
  'time_identifier',
  'geographic_level',
  'country_code',
  'country_name',
  'region_code',
  'region_name',
  'new_la_code',
  'la_name',
  'lad_code',
  'lad_name',
] as const;

/** Filter columns: the dimension a row breaks down by (`Total` for the whole population) and its group. */
export const BREAKDOWN_COLUMNS = ['breakdown_topic', 'breakdown'] as const;

/** Breakdown groups exported, by dimension: every engine group except UNKNOWN (one name across dimensions). */
export const EXPORT_GROUPS = PERSON_DIMENSIONS.map((dimension) => ({
  dimension,
  codes: DIMENSION_GROUPS[dimension].filter((g) => g !== 'UNKNOWN'),
}));

const LEVEL_NAMES = {
  NATIONAL: 'National',
  REGIONAL: 'Regional',
  LOCAL_AUTHORITY: 'Local authority',
  DISTRICT: 'Local authority district',
} as const;

/** The CSV text, header first (RFC 4180 quoting, LF line ends). */
export async function exportIndicatorsCsv(ctx: Context, req: ExportRequest): Promise<string> {
  if (!req.codes.length) throw new UserInputError('Name at least one indicator code', 'codes');
  if (!req.areas.length) throw new UserInputError('Name at least one area code', 'area');
  if (!req.periods.length) throw new UserInputError('Name at least one period code', 'period');
  const indicators = await exportIndicators(ctx, req.codes);
  const areas = await Promise.all(req.areas.map((a) => requireArea(ctx, a, 'area')));
  const periods = await Promise.all(req.periods.map((p) => requirePeriod(ctx, p, 'period')));
  const all = await ctx.db.prisma.area.findMany();
  const byCode = new Map(all.map((a) => [a.code, a]));

  const header = [
    ...GEOGRAPHY_COLUMNS,
    ...BREAKDOWN_COLUMNS,
    ...indicators.flatMap((i) => [i.code, `${i.code}_numerator`, `${i.code}_denominator`]),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (const period of periods) {
    const { time_period, time_identifier } = periodToEes(period.code);
    for (const area of areas) {
      const figures = await Promise.all(
        indicators.map((i) =>
          // An indicator of another period type has no figure for this period: its cells say `z`.
          parsePeriod(period.code).type === i.periodType ? areaFigures(ctx, i, area.code, period.code, 'ALL') : null,
        ),
      );
      const geography = geographyOf(area.code, byCode);
      const row = (topic: string, group: string, cellOf: (f: AreaFigures) => Cell | undefined) => {
        const cells = indicators.flatMap((indicator, n) => {
          if (parsePeriod(period.code).type !== indicator.periodType) return ['z', 'z', 'z'];
          const f = figures[n];
          const cell = f ? cellOf(f) : undefined;
          const denominator = cellDenominator(cell);
          return [
            figureText(cellValue(indicator, cell)) ?? 'x',
            figureText(cellNumerator(cell)) ?? 'x',
            figureText(denominator) ?? (cell && indicator.unit === 'COUNT' ? 'z' : 'x'),
          ];
        });
        lines.push([time_period, time_identifier, ...geography, topic, group, ...cells].map(csvCell).join(','));
      };
      row('Total', 'TOTAL', (f) => f.total);
      for (const { dimension, codes } of EXPORT_GROUPS) {
        for (const code of codes) {
          if (figures.some((f) => f?.group(dimension, code))) row(dimension, code, (f) => f.group(dimension, code));
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `core/ees` map that loads an export back: each indicator's three columns, the breakdown as given,
 * and each indicator's definition (created where the target store lacks it).
 */
export function exportMap(indicators: IndicatorInfo[], source = 'CYPE Graph export'): EesMap {
  const groups = ['TOTAL', ...EXPORT_GROUPS.flatMap((g) => g.codes)];
  return {
    source,
    unknownAreas: 'create',
    indicators: indicators.map((i) => ({
      column: i.code,
      code: i.code,
      numerator: `${i.code}_numerator`,
      denominator: `${i.code}_denominator`,
      define: {
        name: i.name,
        description: i.description,
        unit: i.unit,
        polarity: i.polarity,
        decimalPlaces: i.decimalPlaces,
        periodType: i.periodType,
        service: i.service,
        amberTolerance: i.amberTolerance,
      },
    })),
    filters: {
      breakdown_topic: { '*': 'TOTAL' },
      breakdown: Object.fromEntries(groups.map((g) => [g, g])),
    },
  };
}

/** The indicators of an export request, in order; unknown codes are an error naming `codes`. */
export async function exportIndicators(ctx: Context, codes: string[]): Promise<IndicatorInfo[]> {
  const out: IndicatorInfo[] = [];
  for (const code of codes) {
    const indicator = await findIndicator(ctx, code);
    if (!indicator) throw new UserInputError(`No indicator has the code "${code}"`, 'codes');
    out.push(indicator);
  }
  return out;
}

function figureText(f: Figure | null): string | undefined {
  if (!f) return undefined;
  return f.symbol ?? (f.value === null ? 'x' : String(f.value));
}

type AreaRow = { code: string; name: string; level: keyof typeof LEVEL_NAMES; parentCode: string | null };

/** geographic_level … lad_name for an area, walking up its parents. */
function geographyOf(code: string, byCode: Map<string, AreaRow>): string[] {
  const chain: Partial<Record<AreaRow['level'], AreaRow>> = {};
  let a = byCode.get(code);
  const start = a;
  for (let guard = 0; a && guard < 10; guard++) {
    chain[a.level] ??= a;
    a = a.parentCode ? byCode.get(a.parentCode) : undefined;
  }
  return [
    start ? LEVEL_NAMES[start.level] : '',
    chain.NATIONAL?.code ?? '',
    chain.NATIONAL?.name ?? '',
    chain.REGIONAL?.code ?? '',
    chain.REGIONAL?.name ?? '',
    chain.LOCAL_AUTHORITY?.code ?? '',
    chain.LOCAL_AUTHORITY?.name ?? '',
    chain.DISTRICT?.code ?? '',
    chain.DISTRICT?.name ?? '',
  ];
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
