// GraphQL: Query.earlyYears, the service's record-level lists for analysts: EYFS results and the settings
// register, filtered by area (a local authority or a district), with cursor pagination.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { iso } from '../../src/core/dates.js';
import { UserInputError } from '../../src/core/errors.js';
import { cursorPage, type Page, pageArgs, pageRequest } from '../../src/core/paging.js';
import { countRecords, dateArg, districtsIn } from '../../src/core/records.js';
import { requirePeriod } from '../../src/core/reporting/graphql/args.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { EYFS_RESULTS_COUNT } from './counts.js';
import type { registerEarlyYearsSetting, SettingRow } from './early-years-setting.js';
import type { EarlyYearsEnums } from './enums.js';
import type { EyfsResultRow, registerEyfsResult } from './eyfs-result.js';

interface ServiceRoot {
  service: 'earlyYears';
}

async function eyfsResults(
  ctx: Context,
  args: {
    area?: string | null;
    period?: string | null;
    gld?: boolean | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Page<EyfsResultRow>> {
  const page = pageRequest(args, 2);
  let periodCode: string | undefined;
  if (args.period) {
    const period = await requirePeriod(ctx, args.period, 'period');
    if (period.identifier !== 'AY') {
      throw new UserInputError(`EYFS results are by academic year; "${args.period}" is not one`, 'period');
    }
    periodCode = period.code;
  }
  const districts = args.area ? await districtsIn(ctx, args.area) : undefined;
  const where: Prisma.EyfsResultWhereInput = {
    ...(districts ? { person: { districtCode: { in: districts } } } : {}),
    ...(periodCode ? { periodCode } : {}),
    ...(args.gld !== null && args.gld !== undefined ? { gld: args.gld } : {}),
  };
  return cursorPage(page, {
    count: () =>
      countRecords(
        ctx,
        EYFS_RESULTS_COUNT.key,
        { period: periodCode, districts, filters: { gld: args.gld ?? undefined } },
        () => ctx.db.prisma.eyfsResult.count({ where }),
      ),
    rows: async (take, after) => {
      const rows = await ctx.db.prisma.eyfsResult.findMany({
        where: after
          ? {
              AND: [
                where,
                { OR: [{ periodCode: { gt: after[0] } }, { periodCode: after[0], personId: { gt: after[1] } }] },
              ],
            }
          : where,
        include: { person: { select: { districtCode: true } } },
        orderBy: [{ periodCode: 'asc' }, { personId: 'asc' }],
        take,
      });
      return rows.map(({ person, ...r }) => ({ ...r, districtCode: person.districtCode }));
    },
    key: (r) => [r.periodCode, r.personId],
  });
}

async function settings(
  ctx: Context,
  args: {
    area?: string | null;
    type?: SettingRow['type'] | null;
    grade?: NonNullable<SettingRow['latest']>['grade'] | null;
    asOf?: string | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Page<SettingRow>> {
  const page = pageRequest(args, 1);
  const asOf = dateArg(args.asOf, 'asOf');
  const districts = args.area ? await districtsIn(ctx, args.area) : null;
  if (districts && !districts.length) return { nodes: [], totalCount: 0, nextCursor: null };
  const day = asOf && Prisma.sql`${iso(asOf)}::date`;
  const conditions = [
    districts && Prisma.sql`s."districtCode" IN (${Prisma.join(districts)})`,
    args.type && Prisma.sql`s.type::text = ${args.type}`,
    args.grade && Prisma.sql`i.grade::text = ${args.grade}`,
    day &&
      Prisma.sql`(s."registeredOn" IS NULL OR s."registeredOn" <= ${day}) AND (s."closedOn" IS NULL OR s."closedOn" > ${day})`,
  ].filter((c): c is Prisma.Sql => Boolean(c));
  const from = Prisma.sql`
    FROM "EarlyYearsSetting" s
    LEFT JOIN LATERAL (
      SELECT x.grade, x."inspectedOn" FROM "EarlyYearsInspection" x
      WHERE x.urn = s.urn ${day ? Prisma.sql`AND x."inspectedOn" <= ${day}` : Prisma.empty}
      ORDER BY x."inspectedOn" DESC LIMIT 1
    ) i ON true`;
  const where = (extra: Prisma.Sql[]) =>
    extra.length ? Prisma.sql`WHERE ${Prisma.join(extra, ' AND ')}` : Prisma.empty;
  const count = async () => {
    const [r] = await ctx.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n ${from} ${where(conditions)}`;
    return Number(r?.n ?? 0);
  };
  const rows = async (take: number, after: string[] | undefined): Promise<SettingRow[]> => {
    const found = await ctx.db.prisma.$queryRaw<
      {
        urn: string;
        name: string;
        type: SettingRow['type'];
        districtCode: string;
        registeredOn: Date | null;
        closedOn: Date | null;
        grade: NonNullable<SettingRow['latest']>['grade'] | null;
        inspectedOn: Date | null;
      }[]
    >`SELECT s.urn, s.name, s.type::text AS type, s."districtCode", s."registeredOn", s."closedOn", i.grade::text AS grade, i."inspectedOn"
      ${from} ${where(after ? [...conditions, Prisma.sql`s.urn > ${after[0]}`] : conditions)}
      ORDER BY s.urn LIMIT ${take}`;
    return found.map((r) => ({
      urn: r.urn,
      name: r.name,
      type: r.type,
      districtCode: r.districtCode,
      registeredOn: r.registeredOn && new Date(r.registeredOn),
      closedOn: r.closedOn && new Date(r.closedOn),
      latest: r.grade && r.inspectedOn ? { grade: r.grade, inspectedOn: new Date(r.inspectedOn) } : null,
    }));
  };
  return cursorPage(page, { count, rows, key: (r) => [r.urn] });
}

export function registerEarlyYearsService(
  builder: Builder,
  enums: EarlyYearsEnums,
  refs: {
    EyfsResultPage: ReturnType<typeof registerEyfsResult>['EyfsResultPage'];
    EarlyYearsSettingPage: ReturnType<typeof registerEarlyYearsSetting>['EarlyYearsSettingPage'];
  },
) {
  const EarlyYears = builder.objectRef<ServiceRoot>('EarlyYears').implement({
    description: 'Early Years and Childcare across the directorate: record-level lists for analysts.',
    fields: (t) => ({
      eyfsResults: t.field({
        ...recordLevel('early-years'),
        type: refs.EyfsResultPage,
        description: 'EYFS profile results, by academic year then person id, filtered. Record level: analysts only.',
        args: {
          area: t.arg.string({
            required: false,
            description: 'ONS code of a local authority or district: children living there.',
          }),
          period: t.arg.string({ required: false, description: 'Only this academic year, e.g. `2015/2016|AY`.' }),
          gld: t.arg.boolean({
            required: false,
            description: 'Only children who reached (true) or did not reach (false) a good level of development.',
          }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => eyfsResults(ctx, args),
      }),
      settings: t.field({
        ...recordLevel('early-years'),
        type: refs.EarlyYearsSettingPage,
        description: 'Early years settings, by URN, filtered. Record level: analysts only.',
        args: {
          area: t.arg.string({ required: false, description: 'ONS code of a local authority or district.' }),
          type: t.arg({ type: enums.settingType, required: false, description: 'Only settings of this type.' }),
          grade: t.arg({
            type: enums.grade,
            required: false,
            description: 'Only settings whose latest inspection (as of `asOf`) gave this grade.',
          }),
          asOf: t.arg.string({
            required: false,
            description:
              'A date YYYY-MM-DD: only settings open that day, with their latest inspection by then. Default: every setting, latest inspection ever.',
          }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => settings(ctx, args),
      }),
    }),
  });

  builder.queryField('earlyYears', (t) =>
    t.field({
      type: EarlyYears,
      description:
        'The Early Years and Childcare service: record-level EYFS results and settings (analysts only). Area figures are on `Area.earlyYears`.',
      resolve: () => ({ service: 'earlyYears' as const }),
    }),
  );
}
