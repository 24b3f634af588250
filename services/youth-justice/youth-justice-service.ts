// GraphQL: Query.youthJustice, the service root: record-level disposals for analysts (filtered, cursor
// pagination) and the disproportionality of a youth justice cohort (relative rate indices, aggregates under
// disclosure control, open to every role that reads figures).
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { requireCohort, requireCohortPeriod } from '../../src/core/cohorts/catalogue.js';
import { cohortArea } from '../../src/core/cohorts/figures.js';
import { iso } from '../../src/core/dates.js';
import { UserInputError } from '../../src/core/errors.js';
import { cursorPage, type Page, pageArgs, pageRequest } from '../../src/core/paging.js';
import { areaByCode, dateArg, districtsIn } from '../../src/core/records.js';
import { requirePeriod } from '../../src/core/reporting/graphql/args.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { DisposalType, Tier } from './disposal-types.js';
import { type Disproportionality, disproportionality, type RelativeRate } from './disproportionality.js';
import { type RriDimension, YJ_COHORTS, type YjCohort, type YouthJusticeEnums } from './enums.js';
import type { DisposalRow, registerDisposal } from './youth-justice-disposal.js';

interface ServiceRoot {
  service: 'youthJustice';
}

interface DisposalArgs {
  area?: string | null;
  personId?: string | null;
  tier?: Tier | null;
  disposalType?: DisposalType | null;
  disposedFrom?: string | null;
  disposedTo?: string | null;
  first?: number | null;
  after?: string | null;
}

async function disposals(ctx: Context, args: DisposalArgs): Promise<Page<DisposalRow>> {
  const page = pageRequest(args, 2);
  const gte = dateArg(args.disposedFrom, 'disposedFrom');
  const lte = dateArg(args.disposedTo, 'disposedTo');
  if (gte && lte && lte < gte) throw new UserInputError('disposedTo is before disposedFrom', 'disposedTo');
  const where: Prisma.YouthJusticeDisposalWhereInput = {
    ...(args.area ? { person: { districtCode: { in: await districtsIn(ctx, args.area) } } } : {}),
    ...(args.personId ? { personId: args.personId } : {}),
    ...(args.tier ? { tier: args.tier } : {}),
    ...(args.disposalType ? { disposalType: args.disposalType } : {}),
    ...(gte || lte ? { disposedOn: { ...(gte ? { gte } : {}), ...(lte ? { lte } : {}) } } : {}),
  };
  const afterDate = page.after ? dateArg(page.after[0], 'after') : undefined;
  return cursorPage(page, {
    count: () => ctx.db.prisma.youthJusticeDisposal.count({ where }),
    rows: async (take, after) => {
      const rows = await ctx.db.prisma.youthJusticeDisposal.findMany({
        where:
          after && afterDate
            ? {
                AND: [
                  where,
                  { OR: [{ disposedOn: { gt: afterDate } }, { disposedOn: afterDate, id: { gt: after[1] } }] },
                ],
              }
            : where,
        include: { person: { select: { districtCode: true } } },
        orderBy: [{ disposedOn: 'asc' }, { id: 'asc' }],
        take,
      });
      return rows.map(({ person, ...d }) => ({ ...d, districtCode: person.districtCode }));
    },
    key: (d) => [iso(d.disposedOn), d.id],
  });
}

export function registerYouthJusticeService(
  builder: Builder,
  enums: YouthJusticeEnums,
  refs: { YouthJusticeDisposalPage: ReturnType<typeof registerDisposal>['YouthJusticeDisposalPage'] },
) {
  const RelativeRateRef = builder.objectRef<RelativeRate>('YouthJusticeRelativeRate').implement({
    description:
      'The relative rate index (RRI) of one group: its share of the cohort divided by its share of the area’s population aged 10 to 17 (above 1: over-represented), with the 95% Katz log interval (Katz et al., Biometrics 1978). Under disclosure control every count is published by the cell key method (never from 1 to 4), and shares, indexes and intervals are computed from the published counts.',
    fields: (t) => ({
      group: t.exposeString('code', {
        description: 'Group code: `IN_CARE`, `EHCP`, `SEN_SUPPORT`, `BLACK`…; `UNKNOWN` = not recorded.',
      }),
      label: t.exposeString('label', { description: 'Display name of the group.' }),
      cohortCount: t.field({
        type: 'Figure',
        description: 'Cohort members in the group.',
        resolve: (r) => r.cohortCount,
      }),
      cohortShare: t.field({
        type: 'Figure',
        description: 'Percentage of the cohort in the group: 100 × cohortCount ÷ cohort size.',
        resolve: (r) => r.cohortShare,
      }),
      populationCount: t.field({
        type: 'Figure',
        description: 'People aged 10 to 17 on the first day of the period in the group.',
        resolve: (r) => r.populationCount,
      }),
      populationShare: t.field({
        type: 'Figure',
        description: 'Percentage of the population aged 10 to 17 in the group.',
        resolve: (r) => r.populationShare,
      }),
      rri: t.field({
        type: 'Figure',
        description:
          'Relative rate index: cohortShare ÷ populationShare (1 = represented in proportion); `z` when the group has no population or the cohort is empty.',
        resolve: (r) => r.rri,
      }),
      lower: t.float({
        nullable: true,
        description:
          'Lower bound of the 95% interval: RRI × exp(−1.959964 × √(1/a − 1/A + 1/b − 1/B)), a and A the group’s and cohort’s counts, b and B the population’s; null when the index is not shown, or the group has none or all of the cohort.',
        resolve: (r) => r.lower,
      }),
      upper: t.float({
        nullable: true,
        description: 'Upper bound of the 95% interval: RRI × exp(+1.959964 × the same standard error).',
        resolve: (r) => r.upper,
      }),
      significant: t.boolean({
        nullable: true,
        description: 'The interval excludes 1: the group is significantly over- (RRI > 1) or under-represented.',
        resolve: (r) => r.significant,
      }),
    }),
  });

  const DisproportionalityRef = builder.objectRef<Disproportionality>('YouthJusticeDisproportionality').implement({
    description:
      'How each group of a characteristic is represented in a youth justice cohort compared with the population aged 10 to 17 of the area (people in the store aged 10 to 17 on the period’s first day, with the characteristics of the academic year containing it).',
    fields: (t) => ({
      cohort: t.string({ description: 'The cohort key, e.g. `youthJustice.custody`.', resolve: (d) => d.cohort.key }),
      period: t.string({ description: 'The financial year, e.g. `2016/2017|FY`.', resolve: (d) => d.period.code }),
      area: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The area (a local authority or a district).',
        resolve: (_query, d, _args, ctx) => areaByCode(ctx, d.areaCode),
      }),
      dimension: t.field({
        type: enums.rriDimension,
        description: 'The characteristic compared.',
        resolve: (d) => d.dimension,
      }),
      cohortSize: t.field({ type: 'Figure', description: 'People in the cohort (A).', resolve: (d) => d.cohortSize }),
      population: t.field({
        type: 'Figure',
        description: 'People aged 10 to 17 on the period’s first day (B).',
        resolve: (d) => d.population,
      }),
      groups: t.field({
        type: [RelativeRateRef],
        description: 'One row per group with people in the cohort or the population, in display order.',
        resolve: (d) => d.groups,
      }),
    }),
  });

  const YouthJustice = builder.objectRef<ServiceRoot>('YouthJustice').implement({
    description:
      'Youth Justice across the directorate: disproportionality of its cohorts (aggregates) and record-level disposals (analysts only). Area figures are on `Area.youthJustice`.',
    fields: (t) => ({
      disposals: t.field({
        ...recordLevel('youth-justice'),
        type: refs.YouthJusticeDisposalPage,
        description:
          'Proven offences and their disposals, by disposal date then id, filtered. Record level: analysts only.',
        args: {
          area: t.arg.string({
            required: false,
            description: 'ONS code of a local authority or district: children and young people living there.',
          }),
          personId: t.arg.string({ required: false, description: 'Only this person’s disposals.' }),
          tier: t.arg({ type: enums.tier, required: false, description: 'Only disposals of this tier.' }),
          disposalType: t.arg({
            type: enums.disposalType,
            required: false,
            description: 'Only disposals of this type.',
          }),
          disposedFrom: t.arg.string({
            required: false,
            description: 'Disposed of on or after this date (YYYY-MM-DD).',
          }),
          disposedTo: t.arg.string({
            required: false,
            description: 'Disposed of on or before this date (YYYY-MM-DD).',
          }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => disposals(ctx, args),
      }),
      disproportionality: t.field({
        type: DisproportionalityRef,
        description:
          'Relative rate indices of a youth justice cohort by a characteristic (in care, EHC plan and SEN support, ethnicity…), against the population aged 10 to 17 of the area, under disclosure control.',
        args: {
          cohort: t.arg({ type: enums.cohort, required: true, description: 'The youth justice cohort.' }),
          dimension: t.arg({
            type: enums.rriDimension,
            required: true,
            description: 'The characteristic whose groups are compared.',
          }),
          period: t.arg.string({ required: true, description: 'Financial year, e.g. `2016/2017|FY`.' }),
          area: t.arg.string({
            required: false,
            description:
              'ONS code of a local authority or one of its districts; omitted, the local authority with districts.',
          }),
        },
        resolve: async (_root, args, ctx) => {
          const cohort = requireCohort(ctx, YJ_COHORTS[args.cohort as YjCohort], 'cohort');
          const period = requireCohortPeriod(cohort, args.period, 'period');
          await requirePeriod(ctx, period.code, 'period');
          const area = await cohortArea(ctx, args.area);
          return disproportionality(ctx, cohort, period, area, args.dimension as RriDimension);
        },
      }),
    }),
  });

  builder.queryField('youthJustice', (t) =>
    t.field({
      type: YouthJustice,
      description:
        'The Youth Justice service: disproportionality of its cohorts, and record-level disposals (analysts only). Area figures are on `Area.youthJustice`.',
      resolve: () => ({ service: 'youthJustice' as const }),
    }),
  );
}
