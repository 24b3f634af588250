// GraphQL: cross-service cohorts. `cohorts` lists every enabled plugin's cohorts; `cohort(key, period,
// area)` gives a cohort's size, its overlap with any other cohort and its breakdowns, all under the same
// disclosure control as indicators (Figure values; counts published by the cell key method).
import type { EnumRef, ObjectRef } from '@pothos/core';
import type { Builder } from '../../builder.js';
import { UserInputError } from '../errors.js';
import type { PeriodType } from '../period-codes.js';
import { areaDirectory } from '../reporting/directories.js';
import type { Dimension } from '../reporting/types.js';
import type { GroupValueData } from '../reporting/value-fields.js';
import { alignPeriod, type CohortInfo, cohortCatalogue, requireCohort, requireCohortPeriod } from './catalogue.js';
import { type CohortRef, cohortArea, cohortBreakdown, cohortOverlap, cohortSize, type OverlapData } from './figures.js';

// Types implemented elsewhere (core/period.ts, core/reporting); Pothos resolves them by name at build time.
const PeriodTypeRef = 'PeriodType' as unknown as EnumRef<never, PeriodType, PeriodType>;
const DimensionRef = 'Dimension' as unknown as EnumRef<never, Dimension, Dimension>;
// biome-ignore lint/suspicious/noExplicitAny: the Pothos schema-types parameter of a ref named by string.
const GroupValueRef = 'GroupValue' as unknown as ObjectRef<any, GroupValueData>;

export function registerCohorts(builder: Builder) {
  const Cohort = builder.objectRef<CohortInfo>('Cohort').implement({
    description:
      'A named set of people in a period, declared by a service (`youthJustice.custody`, `send.withEhcp`, `troubledFamilies.onProgramme`…), for cross-service analysis.',
    fields: (t) => ({
      key: t.string({ description: 'Stable key, `<service>.<name>`.', resolve: (c) => c.key }),
      title: t.string({ description: 'Who is in it.', resolve: (c) => c.title }),
      service: t.string({ description: 'The service that declares it (plugin key).', resolve: (c) => c.service }),
      periodType: t.field({
        type: PeriodTypeRef,
        description: 'The kind of period it is defined for.',
        resolve: (c) => c.periodType,
      }),
    }),
  });

  const Overlap = builder.objectRef<OverlapData>('Overlap').implement({
    description:
      'People in both cohorts (each in its own period), counted on person ids in the database. Under disclosure control the count and both cohorts’ sizes are published by the cell key method (the same people always give the same published number; never a count from 1 to 4), and the shares are computed from those published counts.',
    fields: (t) => ({
      with: t.field({ type: Cohort, description: 'The other cohort.', resolve: (o) => o.other }),
      period: t.string({ description: 'The other cohort’s period.', resolve: (o) => o.otherPeriod.code }),
      count: t.field({ type: 'Figure', description: 'People in both cohorts.', resolve: (o) => o.count }),
      shareOfThis: t.field({
        type: 'Figure',
        description: 'Percentage of this cohort also in the other: 100 × count ÷ this cohort’s size.',
        resolve: (o) => o.shareOfThis,
      }),
      shareOfOther: t.field({
        type: 'Figure',
        description: 'Percentage of the other cohort also in this one: 100 × count ÷ the other cohort’s size.',
        resolve: (o) => o.shareOfOther,
      }),
    }),
  });

  const CohortFigures = builder.objectRef<CohortRef>('CohortFigures').implement({
    description:
      'A cohort in one period and area (a local authority or a district; people count in their home district), under disclosure control.',
    fields: (t) => ({
      cohort: t.field({ type: Cohort, description: 'The cohort.', resolve: (r) => r.cohort }),
      period: t.string({ description: 'The period, e.g. `2016/2017|FY`.', resolve: (r) => r.period.code }),
      area: t.prismaField({
        type: 'Area',
        description: 'The area counted.',
        // The engine's once-per-request directory: no statement per cohort asked for.
        resolve: async (_query, r, _args, ctx) => (await areaDirectory(ctx)).byCode.get(r.areaCode)!,
      }),
      size: t.field({
        type: 'Figure',
        description:
          'People in the cohort (under disclosure control, published by the cell key method: never from 1 to 4).',
        resolve: (r, _args, ctx) => cohortSize(ctx, r),
      }),
      overlap: t.field({
        type: Overlap,
        description:
          'How many of this cohort are also in another. One SQL statement on person ids, however many areas are asked for.',
        args: {
          with: t.arg.string({ required: true, description: 'Key of the other cohort, e.g. `send.withEhcp`.' }),
          period: t.arg.string({
            required: false,
            description:
              'The other cohort’s period. Omitted: this period when the types match, else the year of the other cohort’s type sharing most days with it (financial 2016/17 → academic 2016/17).',
          }),
        },
        resolve: (r, args, ctx) => {
          const other = requireCohort(ctx, args.with, 'with');
          const otherPeriod = args.period
            ? requireCohortPeriod(other, args.period, 'period')
            : alignPeriod(r.period, other.periodType);
          if (!otherPeriod) {
            throw new UserInputError(
              `Cohort ${other.key} is defined by ${other.periodType}, which cannot be matched to ${r.period.code}: give its period`,
              'period',
            );
          }
          return cohortOverlap(ctx, r, other, otherPeriod);
        },
      }),
      breakdown: t.field({
        type: [GroupValueRef],
        description:
          'The cohort’s size in each group of a dimension (each district, by name, for DISTRICT), under the same disclosure control as the size. Characteristics are those of the academic year containing the period’s start.',
        args: { dimension: t.arg({ type: DimensionRef, required: true, description: 'What to break down by.' }) },
        resolve: (r, args, ctx) => cohortBreakdown(ctx, r, args.dimension),
      }),
    }),
  });

  builder.queryFields((t) => ({
    cohorts: t.field({
      type: [Cohort],
      description: 'Every enabled service’s cohorts (or one service’s), in service order.',
      args: {
        service: t.arg.string({ required: false, description: 'Only this service’s: plugin key (`send`) or slug.' }),
      },
      resolve: (_root, args, ctx) => {
        const all = cohortCatalogue(ctx.services);
        if (!args.service) return all;
        const plugin = ctx.services.find((s) => s.key === args.service || s.slug === args.service);
        if (!plugin) {
          throw new UserInputError(
            `No enabled service "${args.service}" (services: ${ctx.services.map((s) => s.key).join(', ') || 'none'})`,
            'service',
          );
        }
        return all.filter((c) => c.service === plugin.key);
      },
    }),
    cohort: t.field({
      type: CohortFigures,
      description:
        'One cohort in a period and area: size, overlap with any other cohort, breakdowns. Example: `cohort(key: "youthJustice.custody", period: "2016/2017|FY") { size { value } overlap(with: "send.withEhcp") { count { value } } }`.',
      args: {
        key: t.arg.string({ required: true, description: 'Cohort key, e.g. `troubledFamilies.onProgramme`.' }),
        period: t.arg.string({ required: true, description: 'A period of the cohort’s type, e.g. `2016/2017|FY`.' }),
        area: t.arg.string({
          required: false,
          description:
            'ONS code of a local authority or one of its districts; omitted, the local authority the store holds.',
        }),
      },
      resolve: async (_root, args, ctx): Promise<CohortRef> => {
        const cohort = requireCohort(ctx, args.key, 'key');
        const period = requireCohortPeriod(cohort, args.period, 'period');
        const { areaCode, laCode } = await cohortArea(ctx, args.area);
        return { cohort, period, areaCode, laCode };
      },
    }),
  }));
}
