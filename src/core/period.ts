// GraphQL: Period (academic, financial and calendar years, quarters, terms, months, weeks).
import type { Builder } from '../builder.js';
import type { Context } from '../context.js';
import { UserInputError } from './errors.js';
import { PERIOD_TYPES, PeriodError, parsePeriod, previousPeriodCode } from './period-codes.js';

const PERIOD_TYPE_DESCRIPTIONS: Record<(typeof PERIOD_TYPES)[number], string> = {
  ACADEMIC_YEAR: '1 September to 31 August (EES `AY`).',
  CALENDAR_YEAR: '1 January to 31 December (EES `CY`).',
  FINANCIAL_YEAR: '1 April to 31 March (EES `FY`).',
  TAX_YEAR: '6 April to 5 April (EES `TY`).',
  REPORTING_YEAR: 'A reporting year (EES `RY`).',
  ACADEMIC_QUARTER: 'A quarter of an academic year (EES `AYQ1`–`AYQ4`, Q1 = September–November).',
  CALENDAR_QUARTER: 'A quarter of a calendar year (EES `CYQ1`–`CYQ4`).',
  FINANCIAL_QUARTER: 'A quarter of a financial year (EES `FYQ1`–`FYQ4`, Q1 = April–June).',
  TAX_QUARTER: 'A quarter of a tax year (EES `TYQ1`–`TYQ4`).',
  TERM: 'A school term: autumn `T1`, spring `T2`, summer `T3`.',
  AUTUMN_AND_SPRING_TERM: 'Autumn and spring terms together (EES `T1T2`).',
  MONTH: 'A calendar month (EES `M1`–`M12`).',
  WEEK: 'An ISO week (EES `W1`–`W53`).',
};

export function registerPeriod(builder: Builder) {
  const PeriodType = builder.enumType('PeriodType', {
    description: 'The kind of a reporting period.',
    values: Object.fromEntries(PERIOD_TYPES.map((t) => [t, { description: PERIOD_TYPE_DESCRIPTIONS[t] }])) as Record<
      (typeof PERIOD_TYPES)[number],
      { description: string }
    >,
  });

  builder.prismaObject('Period', {
    description: 'A reporting period, coded as in the EES public API: `2016/2017|AY`, `2016|CY`, `2017|M1`.',
    fields: (t) => ({
      code: t.exposeString('code', { description: 'EES period code, e.g. `2016/2017|AY`.' }),
      identifier: t.exposeString('identifier', { description: 'EES time identifier code: AY, FY, CY, FYQ4, M1, …' }),
      type: t.field({
        type: PeriodType,
        description: 'The kind of period.',
        resolve: (p) => p.type as (typeof PERIOD_TYPES)[number],
      }),
      label: t.exposeString('label', { description: 'Display label, e.g. "2016/17 academic year".' }),
      start: t.expose('startDate', { type: 'Date', description: 'First day of the period.' }),
      end: t.expose('endDate', { type: 'Date', description: 'Last day of the period (inclusive).' }),
      previous: t.prismaField({
        type: 'Period',
        nullable: true,
        description: 'The immediately preceding period of the same type, when the store has it.',
        resolve: (_query, period, _args, ctx) => loadPeriod(ctx, previousPeriodCode(period.code)),
      }),
    }),
  });

  builder.queryFields((t) => ({
    periods: t.prismaField({
      type: ['Period'],
      description: 'Periods the store knows, optionally of one type, oldest first.',
      args: { type: t.arg({ type: PeriodType, required: false, description: 'Only periods of this type.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.prisma.period.findMany({
          ...query,
          where: args.type ? { type: args.type } : undefined,
          orderBy: [{ startDate: 'asc' }, { endDate: 'desc' }],
        }),
    }),
    period: t.prismaField({
      type: 'Period',
      nullable: true,
      description: 'One period by its EES code (e.g. `2016/2017|AY`); null when the store does not have it.',
      args: {
        code: t.arg.string({ required: true, description: 'EES period code, e.g. `2016/2017|AY` or `2017|M1`.' }),
      },
      resolve: (_query, _root, args, ctx) => {
        try {
          return loadPeriod(ctx, parsePeriod(args.code).code);
        } catch (e) {
          if (e instanceof PeriodError) throw new UserInputError(e.message, 'code');
          throw e;
        }
      },
    }),
  }));
}

/** Batched load of periods by code (one query per request however many are asked for). */
export function loadPeriod(ctx: Context, code: string) {
  return ctx
    .loader<string, Awaited<ReturnType<Context['db']['prisma']['period']['findUnique']>>>(
      'periodByCode',
      async (codes) => {
        const rows = await ctx.db.prisma.period.findMany({ where: { code: { in: [...codes] } } });
        const byCode = new Map(rows.map((r) => [r.code, r]));
        return codes.map((c) => byCode.get(c) ?? null);
      },
    )
    .load(code);
}
