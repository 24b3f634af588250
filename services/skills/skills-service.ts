// GraphQL: Query.skills, the service's record-level reads for analysts: young people's monthly participation
// histories (one person's, or a page of them filtered by area, period and status) and apprenticeship
// starts, with cursor pagination.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { iso, parseDay } from '../../src/core/dates.js';
import { UserInputError } from '../../src/core/errors.js';
import { cursorPage, type Page, pageArgs, pageRequest } from '../../src/core/paging.js';
import { districtsIn } from '../../src/core/records.js';
import { requirePeriod } from '../../src/core/reporting/graphql/args.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { registerApprenticeshipStart, StartRow } from './apprenticeship-start.js';
import type { ApprenticeshipLevel, ParticipationStatus, SkillsEnums } from './enums.js';
import type { HistoryRow, registerParticipation } from './participation.js';

interface ServiceRoot {
  service: 'skills';
}

const AREA = 'ONS code of a local authority or district: young people living there.';

/** A stored period's first and last day, for a `period` argument of any type. */
async function periodRange(ctx: Context, code: string | null | undefined) {
  if (!code) return undefined;
  const p = await requirePeriod(ctx, code, 'period');
  return { gte: p.startDate, lte: p.endDate };
}

const HISTORY_SELECT = (months: Prisma.ParticipationRecordWhereInput) =>
  ({
    id: true,
    districtCode: true,
    birthMonth: true,
    participationRecords: {
      where: months,
      orderBy: { month: 'asc' },
      select: { month: true, status: true, activity: true },
    },
  }) satisfies Prisma.PersonSelect;

type HistoryPerson = Prisma.PersonGetPayload<{ select: ReturnType<typeof HISTORY_SELECT> }>;
const toHistory = (p: HistoryPerson): HistoryRow => ({
  personId: p.id,
  districtCode: p.districtCode,
  birthMonth: p.birthMonth,
  records: p.participationRecords,
});

async function histories(
  ctx: Context,
  args: {
    area?: string | null;
    period?: string | null;
    status?: ParticipationStatus | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Page<HistoryRow>> {
  const page = pageRequest(args, 1);
  const month = await periodRange(ctx, args.period);
  const inPeriod: Prisma.ParticipationRecordWhereInput = month ? { month } : {};
  const where: Prisma.PersonWhereInput = {
    ...(args.area ? { districtCode: { in: await districtsIn(ctx, args.area) } } : {}),
    participationRecords: { some: { ...inPeriod, ...(args.status ? { status: args.status } : {}) } },
  };
  // Two statements for the page (people, then their months) and one for the count, whatever the page size.
  return cursorPage(page, {
    count: () => ctx.db.prisma.person.count({ where }),
    rows: async (take, after) => {
      const people = await ctx.db.prisma.person.findMany({
        where: after ? { AND: [where, { id: { gt: after[0] } }] } : where,
        select: HISTORY_SELECT(inPeriod),
        orderBy: { id: 'asc' },
        take,
      });
      return people.map(toHistory);
    },
    key: (h) => [h.personId],
  });
}

async function starts(
  ctx: Context,
  args: {
    area?: string | null;
    period?: string | null;
    level?: ApprenticeshipLevel | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Page<StartRow>> {
  const page = pageRequest(args, 2);
  const startedOn = await periodRange(ctx, args.period);
  const where: Prisma.ApprenticeshipStartWhereInput = {
    ...(args.area ? { person: { districtCode: { in: await districtsIn(ctx, args.area) } } } : {}),
    ...(startedOn ? { startedOn } : {}),
    ...(args.level ? { level: args.level } : {}),
  };
  let afterWhere: Prisma.ApprenticeshipStartWhereInput | undefined;
  if (page.after) {
    const on = parseDay(page.after[0]);
    if (Number.isNaN(on.getTime())) throw new UserInputError('after is not a cursor from this list', 'after');
    afterWhere = { OR: [{ startedOn: { gt: on } }, { startedOn: on, personId: { gt: page.after[1] } }] };
  }
  return cursorPage(page, {
    count: () => ctx.db.prisma.apprenticeshipStart.count({ where }),
    rows: async (take) => {
      const rows = await ctx.db.prisma.apprenticeshipStart.findMany({
        where: afterWhere ? { AND: [where, afterWhere] } : where,
        include: { person: { select: { districtCode: true, birthMonth: true } } },
        orderBy: [{ startedOn: 'asc' }, { personId: 'asc' }],
        take,
      });
      return rows.map(({ person, ...s }) => ({ ...s, ...person }));
    },
    key: (s) => [iso(s.startedOn), s.personId],
  });
}

export function registerSkillsService(
  builder: Builder,
  enums: SkillsEnums,
  refs: ReturnType<typeof registerParticipation> & ReturnType<typeof registerApprenticeshipStart>,
) {
  const Skills = builder.objectRef<ServiceRoot>('Skills').implement({
    description:
      'Skills and Employability across the directorate: record-level participation histories and apprenticeship starts, for analysts.',
    fields: (t) => ({
      participationHistory: t.field({
        ...recordLevel('skills'),
        type: refs.ParticipationHistory,
        nullable: true,
        description:
          'One young person’s monthly participation records, oldest first; null when they have none. Record level: analysts only.',
        args: {
          personId: t.arg.string({ required: true, description: 'Pseudonymous person id.' }),
          period: t.arg.string({
            required: false,
            description: 'Only the months of this period (any stored period, e.g. `2016/2017|AY`).',
          }),
        },
        resolve: async (_root, args, ctx) => {
          const month = await periodRange(ctx, args.period);
          const person = await ctx.db.prisma.person.findUnique({
            where: { id: args.personId.trim() },
            select: HISTORY_SELECT(month ? { month } : {}),
          });
          return person?.participationRecords.length ? toHistory(person) : null;
        },
      }),
      participationHistories: t.field({
        ...recordLevel('skills'),
        type: refs.ParticipationHistoryPage,
        description:
          'Young people’s participation histories, by person id: those with a record in the period (with the given status, when asked), each with their months of the period. Record level: analysts only.',
        args: {
          area: t.arg.string({ required: false, description: AREA }),
          period: t.arg.string({
            required: false,
            description:
              'Only young people recorded in this period, and only its months (e.g. `2016/2017|AY`, `2017|M1`).',
          }),
          status: t.arg({
            type: enums.status,
            required: false,
            description: 'Only young people with at least one month of this status (in the period, when given).',
          }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => histories(ctx, args),
      }),
      apprenticeshipStarts: t.field({
        ...recordLevel('skills'),
        type: refs.ApprenticeshipStartPage,
        description: 'Apprenticeship starts, by start date then person id, filtered. Record level: analysts only.',
        args: {
          area: t.arg.string({
            required: false,
            description: 'ONS code of a local authority or district: apprentices living there.',
          }),
          period: t.arg.string({
            required: false,
            description: 'Only starts in this period (any stored period, e.g. `2016/2017|AY`).',
          }),
          level: t.arg({ type: enums.level, required: false, description: 'Only starts at this level.' }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => starts(ctx, args),
      }),
    }),
  });

  builder.queryField('skills', (t) =>
    t.field({
      type: Skills,
      description:
        'The Skills and Employability service: record-level participation histories and apprenticeship starts (analysts only). Area figures are on `Area.skills`.',
      resolve: () => ({ service: 'skills' as const }),
    }),
  );
}
