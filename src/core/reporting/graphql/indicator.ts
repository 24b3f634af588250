// GraphQL: Indicator (the catalogue) with value(area, period) and series(area, from, to), and the queries
// indicators(service) and indicator(code).
import type { EnumRef } from '@pothos/core';
import type { Builder } from '../../../builder.js';
import { UserInputError } from '../../errors.js';
import type { PeriodType } from '../../period-codes.js';
import { areaFigures } from '../area-figures.js';
import { catalogue, findIndicator } from '../catalogue.js';
import { periodDirectory } from '../directories.js';
import type { IndicatorValueRef } from '../indicator-types.js';
import { dimensionsOf } from '../value-fields.js';
import { requireArea, requirePeriod } from './args.js';
import type { ReportingEnums } from './enums.js';

// PeriodType is implemented by src/core/period.ts; Pothos resolves a type by its name at build time.
const PeriodTypeRef = 'PeriodType' as unknown as EnumRef<never, PeriodType, PeriodType>;

export function registerIndicator(builder: Builder, enums: ReportingEnums) {
  builder.objectType('Indicator', {
    description:
      'A performance indicator: how it is measured and which way is good. Plugins compute it from records; published-only indicators come from Observations.',
    fields: (t) => ({
      code: t.string({ description: 'Stable code, e.g. `PILOT_COMPLETION`.', resolve: (i) => i.code }),
      name: t.string({ description: 'Short display name.', resolve: (i) => i.name }),
      description: t.string({ description: 'What is counted, over whom.', resolve: (i) => i.description }),
      service: t.string({
        description: 'The service it belongs to (plugin key, e.g. `earlyYears`).',
        resolve: (i) => i.service,
      }),
      unit: t.field({ type: enums.IndicatorUnit, description: 'Unit of the value.', resolve: (i) => i.unit }),
      polarity: t.field({ type: enums.Polarity, description: 'Which way is better.', resolve: (i) => i.polarity }),
      decimalPlaces: t.int({
        description: 'Decimal places displayed; also the precision for NO_CHANGE and ties.',
        resolve: (i) => i.decimalPlaces,
      }),
      periodType: t.field({
        type: PeriodTypeRef,
        description: 'The period type it is reported by.',
        resolve: (i) => i.periodType,
      }),
      amberTolerance: t.float({
        description: 'Fraction of the target within which a miss is AMBER (default 0.05 = 5%).',
        resolve: (i) => i.amberTolerance ?? 0.05,
      }),
      dimensions: t.field({
        type: [enums.Dimension],
        description: 'Dimensions it can be broken down by.',
        resolve: (i) => dimensionsOf(i),
      }),
      fromRecords: t.boolean({
        description: 'True when computed from the directorate’s records; false when only published figures exist.',
        resolve: (i) => Boolean(i.facts),
      }),
      value: t.field({
        type: 'IndicatorValue',
        nullable: true,
        description:
          'The indicator for one area in one period, with everything derived from it. When neither records nor published figures have it, `value` is the symbol `x`.',
        args: {
          area: t.arg.string({ required: true, description: 'ONS code of the area, e.g. E10000016 (Kent).' }),
          period: t.arg.string({
            required: true,
            description: 'EES period code of the indicator’s period type, e.g. `2016/2017|AY`.',
          }),
        },
        resolve: async (indicator, args, ctx): Promise<IndicatorValueRef> => {
          const [area, period] = await Promise.all([
            requireArea(ctx, args.area, 'area'),
            requirePeriod(ctx, args.period, 'period', indicator),
          ]);
          return { indicator, areaCode: area.code, periodCode: period.code };
        },
      }),
      series: t.field({
        type: ['IndicatorValue'],
        description: 'Every stored period of the indicator’s type that has a figure for the area, oldest first.',
        args: {
          area: t.arg.string({ required: true, description: 'ONS code of the area.' }),
          from: t.arg.string({ required: false, description: 'First period (inclusive), e.g. `2013/2014|AY`.' }),
          to: t.arg.string({ required: false, description: 'Last period (inclusive), e.g. `2017/2018|AY`.' }),
        },
        resolve: async (indicator, args, ctx) => {
          const [area, from, to, periods] = await Promise.all([
            requireArea(ctx, args.area, 'area'),
            args.from ? requirePeriod(ctx, args.from, 'from', indicator) : null,
            args.to ? requirePeriod(ctx, args.to, 'to', indicator) : null,
            periodDirectory(ctx),
          ]);
          if (from && to && from.startDate > to.startDate) {
            throw new UserInputError(`"from" (${from.code}) is after "to" (${to.code})`, 'from');
          }
          const refs = periods.list
            .filter(
              (p) =>
                p.type === indicator.periodType &&
                (!from || p.startDate >= from.startDate) &&
                (!to || p.startDate <= to.startDate),
            )
            .map((p) => ({ indicator, areaCode: area.code, periodCode: p.code }));
          const figures = await Promise.all(refs.map((r) => areaFigures(ctx, indicator, r.areaCode, r.periodCode)));
          return refs.filter((_, i) => figures[i] !== null);
        },
      }),
    }),
  });

  builder.queryFields((t) => ({
    indicators: t.field({
      type: ['Indicator'],
      description: 'The indicators of the enabled services (all, or one service’s), in service order.',
      args: {
        service: t.arg.string({
          required: false,
          description: 'Only this service’s: plugin key (`earlyYears`) or slug (`early-years`).',
        }),
      },
      resolve: async (_root, args, ctx) => {
        const all = await catalogue(ctx);
        if (!args.service) return all;
        const plugin = ctx.services.find((s) => s.key === args.service || s.slug === args.service);
        const key = plugin?.key ?? args.service;
        const list = all.filter((i) => i.service === key);
        if (!plugin && !list.length) {
          const known = [...new Set(all.map((i) => i.service))].join(', ') || 'none';
          throw new UserInputError(
            `No enabled service "${args.service}" (services with indicators: ${known})`,
            'service',
          );
        }
        return list;
      },
    }),
    indicator: t.field({
      type: 'Indicator',
      nullable: true,
      description: 'One indicator by code; null when no enabled service or published source has it.',
      args: { code: t.arg.string({ required: true, description: 'Indicator code, e.g. `PILOT_COMPLETION`.' }) },
      resolve: (_root, args, ctx) => findIndicator(ctx, args.code.trim()),
    }),
  }));
}
