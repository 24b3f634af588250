// GraphQL: IndicatorValue (an indicator for one area in one period, with everything the engine derives:
// interval, target and RAG, previous period and direction, national and neighbour benchmarks, rank,
// quartile, breakdowns and gaps), GroupValue and Gap. Every field resolves lazily through the per-request
// loaders in period-loaders.ts, so a page pays only for what it asks and many areas share one statement.
import type { Builder } from '../../../builder.js';
import { UserInputError } from '../../errors.js';
import { areaDirectory, periodDirectory } from '../directories.js';
import type { Interval } from '../engine.js';
import {
  breakdownOf,
  denominatorOf,
  dimensionsOf,
  type GapData,
  type GroupValueData,
  gapOf,
  intervalOf,
  nationalOf,
  neighbourAverageOf,
  numeratorOf,
  previousOf,
  quartileOfValue,
  rankOfValue,
  sourceOf,
  statusOf,
  targetOf,
  trendOf,
  valueFigureOf,
} from '../value-fields.js';
import type { ReportingEnums } from './enums.js';
import type { FigureRefs } from './figure.js';

export function registerIndicatorValue(builder: Builder, enums: ReportingEnums, refs: FigureRefs) {
  const GroupValue = builder.objectRef<GroupValueData>('GroupValue').implement({
    description: 'The indicator for one group of a breakdown (or one district), under the same disclosure control.',
    fields: (t) => ({
      group: t.field({
        type: enums.Group,
        nullable: true,
        description: 'The equality group, when the group is one (null for ethnic groups, districts and UNKNOWN).',
        resolve: (g) => g.group,
      }),
      code: t.string({
        description:
          'Group code: a Group name, an ethnic group (WHITE…), UNKNOWN (not recorded) or a district’s ONS code.',
        resolve: (g) => g.code,
      }),
      label: t.string({ description: 'Display label.', resolve: (g) => g.label }),
      value: t.field({ type: 'Figure', description: 'The group’s value.', resolve: (g) => g.value }),
      numerator: t.field({
        type: 'Figure',
        nullable: true,
        description: 'The group’s numerator.',
        resolve: (g) => g.numerator,
      }),
      denominator: t.field({
        type: 'Figure',
        nullable: true,
        description: 'The group’s denominator (null for counts).',
        resolve: (g) => g.denominator,
      }),
      ci95: t.field({
        type: refs.Interval,
        nullable: true,
        description: 'Wilson 95% interval, for proportions whose value is shown.',
        resolve: (g) => g.ci95,
      }),
    }),
  });

  const Gap = builder.objectRef<GapData>('Gap').implement({
    description:
      'Gap between a group and its complement: value(comparator) − value(group), in percentage points for percentages (points for scores).',
    fields: (t) => ({
      group: t.field({ type: enums.Group, description: 'The group asked for.', resolve: (g) => g.group }),
      comparator: t.field({
        type: enums.Group,
        description:
          'Its complement: FSM → NOT_FSM, ANY_SEN → NO_SEN, SEN_SUPPORT and EHCP → NO_SEN, IN_CARE → NOT_IN_CARE, MALE → FEMALE, EAL → NOT_EAL (and the reverse).',
        resolve: (g) => g.comparator,
      }),
      value: t.field({
        type: 'Figure',
        description:
          'The gap; `c` when either side has no value under disclosure control, `x` when either side is unavailable.',
        resolve: (g) => g.value,
      }),
      national: t.field({
        type: 'Figure',
        nullable: true,
        description: 'The same gap nationally, from published figures; null when they are not stored.',
        resolve: (g) => g.national,
      }),
      significant: t.boolean({
        nullable: true,
        description:
          'True when the two groups’ Wilson 95% intervals do not overlap; null when not computable (not a proportion, or not shown).',
        resolve: (g) => g.significant,
      }),
      smallCohort: t.boolean({
        description: 'True when either group has fewer than 30 people (or its size is not known).',
        resolve: (g) => g.smallCohort,
      }),
    }),
  });

  builder.objectType('IndicatorValue', {
    description: 'An indicator for one area in one period, with what the engine derives from it.',
    fields: (t) => ({
      indicator: t.field({ type: 'Indicator', description: 'The indicator.', resolve: (v) => v.indicator }),
      area: t.prismaField({
        type: 'Area',
        description: 'The area.',
        resolve: async (_query, v, _args, ctx) => (await areaDirectory(ctx)).byCode.get(v.areaCode)!,
      }),
      period: t.prismaField({
        type: 'Period',
        description: 'The period.',
        resolve: async (_query, v, _args, ctx) => (await periodDirectory(ctx)).byCode.get(v.periodCode)!,
      }),
      source: t.field({
        type: enums.FigureSourceEnum,
        nullable: true,
        description: 'Where the figure comes from; null when there is none.',
        resolve: (v, _a, ctx) => sourceOf(ctx, v),
      }),
      value: t.field({
        type: 'Figure',
        description:
          'The value: a number, or `c` (confidential: people published as 0 under disclosure control), `x` (unavailable), `z` (nothing to divide by).',
        resolve: (v, _a, ctx) => valueFigureOf(ctx, v),
      }),
      numerator: t.field({
        type: 'Figure',
        nullable: true,
        description: 'Numerator (for scores: total points).',
        resolve: (v, _a, ctx) => numeratorOf(ctx, v),
      }),
      denominator: t.field({
        type: 'Figure',
        nullable: true,
        description: 'Denominator (population, or people scored); null for counts.',
        resolve: (v, _a, ctx) => denominatorOf(ctx, v),
      }),
      ci95: t.field({
        type: refs.Interval,
        nullable: true,
        description: 'Wilson 95% interval in the unit’s scale, for proportions whose value is shown.',
        resolve: (v, _a, ctx): Promise<Interval | null> => intervalOf(ctx, v),
      }),
      target: t.field({
        type: refs.Target,
        nullable: true,
        description: 'The target judged against: TARGET, else MINIMUM, else STRETCH, for this area and period.',
        resolve: (v, _a, ctx) => targetOf(ctx, v),
      }),
      status: t.field({
        type: enums.TargetStatus,
        description: 'RAG against the target.',
        resolve: (v, _a, ctx) => statusOf(ctx, v),
      }),
      previous: t.field({
        type: 'IndicatorValue',
        nullable: true,
        description: 'The previous period of the same type, when it has a figure.',
        resolve: (v, _a, ctx) => previousOf(ctx, v),
      }),
      change: t.float({
        nullable: true,
        description: 'Value minus the previous period’s value, unrounded; null when either is not shown.',
        resolve: async (v, _a, ctx) => (await trendOf(ctx, v)).change,
      }),
      direction: t.field({
        type: enums.Direction,
        description: 'Direction of travel against the previous period.',
        resolve: async (v, _a, ctx) => (await trendOf(ctx, v)).direction,
      }),
      national: t.field({
        type: 'Figure',
        nullable: true,
        description: 'England’s published value for the period; null when not stored.',
        resolve: (v, _a, ctx) => nationalOf(ctx, v),
      }),
      neighbourAverage: t.field({
        type: 'Figure',
        nullable: true,
        description: 'Mean of the statistical neighbours’ values (local authorities only).',
        resolve: (v, _a, ctx) => neighbourAverageOf(ctx, v),
      }),
      rank: t.field({
        type: refs.Rank,
        nullable: true,
        description: 'Rank among this local authority and its statistical neighbours (local authorities only).',
        resolve: (v, _a, ctx) => rankOfValue(ctx, v),
      }),
      quartile: t.field({
        type: enums.Quartile,
        nullable: true,
        description: 'Quartile band among all local authorities with the figure (local authorities only).',
        resolve: (v, _a, ctx) => quartileOfValue(ctx, v),
      }),
      breakdown: t.field({
        type: [GroupValue],
        description: 'The value for each group of a dimension, in a fixed order; groups with no one are left out.',
        args: { dimension: t.arg({ type: enums.Dimension, required: true, description: 'The breakdown dimension.' }) },
        resolve: (v, args, ctx) => {
          if (!dimensionsOf(v.indicator).includes(args.dimension)) {
            throw new UserInputError(`${v.indicator.code} has no breakdown by ${args.dimension}`, 'dimension');
          }
          return breakdownOf(ctx, v, args.dimension);
        },
      }),
      gap: t.field({
        type: Gap,
        nullable: true,
        description: 'The gap between a group and its complement; null when the area has neither group.',
        args: { group: t.arg({ type: enums.Group, required: true, description: 'The group, e.g. FSM.' }) },
        resolve: (v, args, ctx) => gapOf(ctx, v, args.group),
      }),
    }),
  });
}
