// GraphQL: scorecard(area, period, services): one row per enabled indicator (or those of the listed
// services) for an area, each an IndicatorValue with value, target, RAG, previous, direction, national,
// rank and gaps on demand. Indicators reported by another period type use the stored period of their type
// that overlaps the asked period most (ties: the later), e.g. FY 2016/17 for AY 2016/17.
import type { Builder } from '../../../builder.js';
import type { Context } from '../../../context.js';
import type { Area, Period } from '../../../generated/prisma/client.js';
import { UserInputError } from '../../errors.js';
import { catalogue } from '../catalogue.js';
import { periodDirectory } from '../directories.js';
import type { IndicatorInfo, IndicatorValueRef } from '../indicator-types.js';
import { requireArea, requirePeriod } from './args.js';

interface ScorecardShape {
  area: Area;
  period: Period;
  rows: IndicatorValueRef[];
}

const DAY = 86_400_000;

/** The stored period of the indicator's type that overlaps `period` most (the later on a tie), or null. */
export function alignPeriod(
  period: Period,
  indicator: Pick<IndicatorInfo, 'periodType'>,
  periods: Period[],
): Period | null {
  if (period.type === indicator.periodType) return period;
  let best: Period | null = null;
  let bestOverlap = 0;
  for (const p of periods) {
    if (p.type !== indicator.periodType) continue;
    const start = Math.max(p.startDate.getTime(), period.startDate.getTime());
    const end = Math.min(p.endDate.getTime(), period.endDate.getTime());
    const overlap = end >= start ? (end - start) / DAY + 1 : 0;
    if (overlap > 0 && (overlap > bestOverlap || (overlap === bestOverlap && best && p.startDate > best.startDate))) {
      best = p;
      bestOverlap = overlap;
    }
  }
  return best;
}

async function rowsFor(ctx: Context, area: Area, period: Period, services?: string[] | null) {
  let indicators = await catalogue(ctx);
  if (services?.length) {
    const keys = services.map((s) => {
      const plugin = ctx.services.find((p) => p.key === s || p.slug === s);
      if (!plugin && !indicators.some((i) => i.service === s)) {
        throw new UserInputError(
          `No enabled service "${s}" (enabled: ${ctx.services.map((p) => p.key).join(', ') || 'none'})`,
          'services',
        );
      }
      return plugin?.key ?? s;
    });
    indicators = indicators.filter((i) => keys.includes(i.service));
  }
  const { list } = await periodDirectory(ctx);
  return indicators.flatMap((indicator) => {
    const aligned = alignPeriod(period, indicator, list);
    return aligned ? [{ indicator, areaCode: area.code, periodCode: aligned.code }] : [];
  });
}

export function registerScorecard(builder: Builder) {
  const Scorecard = builder.objectRef<ScorecardShape>('Scorecard').implement({
    description: 'Every indicator for one area and period, one row each, for a directorate scorecard.',
    fields: (t) => ({
      area: t.prismaField({ type: 'Area', description: 'The area.', resolve: (_query, s) => s.area }),
      period: t.prismaField({ type: 'Period', description: 'The period asked for.', resolve: (_query, s) => s.period }),
      rows: t.field({
        type: ['IndicatorValue'],
        description:
          'One row per indicator, in service order; each in the period of its own type that overlaps the asked period most.',
        resolve: (s) => s.rows,
      }),
    }),
  });

  builder.queryFields((t) => ({
    scorecard: t.field({
      type: Scorecard,
      description: 'A scorecard: every enabled indicator (or those of the listed services) for an area and period.',
      args: {
        area: t.arg.string({ required: true, description: 'ONS code of the area, e.g. E10000016.' }),
        period: t.arg.string({ required: true, description: 'EES period code, e.g. `2016/2017|AY`.' }),
        services: t.arg.stringList({
          required: false,
          description: 'Only these services (plugin keys or slugs); all enabled services when absent.',
        }),
      },
      resolve: async (_root, args, ctx) => {
        const [area, period] = await Promise.all([
          requireArea(ctx, args.area, 'area'),
          requirePeriod(ctx, args.period, 'period'),
        ]);
        return { area, period, rows: await rowsFor(ctx, area, period, args.services) };
      },
    }),
  }));
}
