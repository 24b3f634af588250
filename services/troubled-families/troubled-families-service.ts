// GraphQL: Query.troubledFamilies, the service as a whole: the claims table for any local authority or
// district, and the record-level lists of families and early help cases (analysts only) with filters and
// cursor pagination.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { UserInputError } from '../../src/core/errors.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { claimsProgress } from './claims-progress.js';
import type { registerClaimsProgress } from './claims-progress-type.js';
import type { registerEarlyHelpCase } from './early-help-case.js';
import type { TroubledFamiliesEnums } from './enums.js';
import type { Page, registerTroubledFamily } from './troubled-family.js';

const MAX_PAGE = 500;

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new UserInputError(`first must be a whole number from 1 to ${MAX_PAGE}; got ${n}`, 'first');
  }
  return n;
}

function dateArg(value: string | null | undefined, argument: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new UserInputError(`${argument} must be a date YYYY-MM-DD; got "${value}"`, argument);
  }
  return d;
}

/** One page: rows after the cursor by id, one extra row to know whether there is a next page. */
async function page<T extends { id: string }>(
  first: number,
  after: string | null | undefined,
  count: () => Promise<number>,
  rows: (take: number, cursorId?: string) => Promise<T[]>,
): Promise<Page<T>> {
  const [totalCount, found] = await Promise.all([count(), rows(first + 1, after ?? undefined)]);
  const nodes = found.slice(0, first);
  return { nodes, totalCount, nextCursor: found.length > first ? nodes[nodes.length - 1].id : null };
}

interface ServiceRoot {
  service: 'troubledFamilies';
}

export function registerTroubledFamiliesService(
  builder: Builder,
  enums: TroubledFamiliesEnums,
  refs: {
    ClaimsProgress: ReturnType<typeof registerClaimsProgress>;
    TroubledFamilyPage: ReturnType<typeof registerTroubledFamily>['TroubledFamilyPage'];
    EarlyHelpCasePage: ReturnType<typeof registerEarlyHelpCase>['EarlyHelpCasePage'];
  },
) {
  const TroubledFamilies = builder.objectRef<ServiceRoot>('TroubledFamilies').implement({
    description: 'The Troubled Families programme and Early Help across the directorate.',
    fields: (t) => ({
      claimsProgress: t.field({
        // Raw claim counts (1 to 4 per district and window happen): not under disclosure control, so analysts only.
        authScopes: { analyst: true },
        type: refs.ClaimsProgress,
        description:
          'The payment-by-results claims table for a financial year: one row per district of the area, and the total against the area’s own MINIMUM and STRETCH targets. Raw counts: analysts only.',
        args: {
          period: t.arg.string({ required: true, description: 'Financial year, e.g. `2016/2017|FY`.' }),
          area: t.arg.string({
            required: true,
            description: 'ONS code of a local authority (E10000016) or a district.',
          }),
        },
        resolve: (_root, args, ctx) => claimsProgress(ctx, args.period, args.area),
      }),
      families: t.field({
        ...recordLevel('troubled-families'),
        type: refs.TroubledFamilyPage,
        description: 'Families on the programme, by id, filtered. Record level: analysts only.',
        args: {
          district: t.arg.string({
            required: false,
            description: 'Only families attached in this district (ONS code).',
          }),
          attachedFrom: t.arg.string({ required: false, description: 'Attached on or after this date (YYYY-MM-DD).' }),
          attachedTo: t.arg.string({ required: false, description: 'Attached on or before this date (YYYY-MM-DD).' }),
          criterion: t.arg({
            type: enums.criterion,
            required: false,
            description: 'Only families meeting this criterion.',
          }),
          first: t.arg.int({ required: false, description: `Page size, 1 to ${MAX_PAGE} (default 50).` }),
          after: t.arg.string({ required: false, description: 'The previous page’s nextCursor.' }),
        },
        resolve: (_root, args, ctx: Context) => {
          const from = dateArg(args.attachedFrom, 'attachedFrom');
          const to = dateArg(args.attachedTo, 'attachedTo');
          const where: Prisma.TroubledFamilyWhereInput = {
            ...(args.district ? { districtCode: args.district } : {}),
            ...(from || to ? { attachedOn: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
            ...(args.criterion ? { criteria: { has: args.criterion } } : {}),
          };
          return page(
            pageSize(args.first),
            args.after,
            () => ctx.db.prisma.troubledFamily.count({ where }),
            (take, cursor) =>
              ctx.db.prisma.troubledFamily.findMany({
                where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where,
                orderBy: { id: 'asc' },
                take,
              }),
          );
        },
      }),
      earlyHelpCases: t.field({
        ...recordLevel('troubled-families'),
        type: refs.EarlyHelpCasePage,
        description: 'Early help cases, by id, filtered. Record level: analysts only.',
        args: {
          district: t.arg.string({ required: false, description: 'Only cases held in this district (ONS code).' }),
          personId: t.arg.string({ required: false, description: 'Only this person’s cases.' }),
          openOn: t.arg.string({ required: false, description: 'Only cases open on this date (YYYY-MM-DD).' }),
          closureReason: t.arg({
            type: enums.closureReason,
            required: false,
            description: 'Only cases closed for this reason.',
          }),
          stepDown: t.arg.boolean({
            required: false,
            description: 'Only step-downs from social care (true) or not (false).',
          }),
          first: t.arg.int({ required: false, description: `Page size, 1 to ${MAX_PAGE} (default 50).` }),
          after: t.arg.string({ required: false, description: 'The previous page’s nextCursor.' }),
        },
        resolve: (_root, args, ctx: Context) => {
          const on = dateArg(args.openOn, 'openOn');
          const where: Prisma.EarlyHelpCaseWhereInput = {
            ...(args.district ? { districtCode: args.district } : {}),
            ...(args.personId ? { personId: args.personId } : {}),
            ...(args.closureReason ? { closureReason: args.closureReason } : {}),
            ...(args.stepDown === null || args.stepDown === undefined ? {} : { stepDown: args.stepDown }),
            ...(on ? { openedOn: { lte: on }, OR: [{ closedOn: null }, { closedOn: { gte: on } }] } : {}),
          };
          return page(
            pageSize(args.first),
            args.after,
            () => ctx.db.prisma.earlyHelpCase.count({ where }),
            (take, cursor) =>
              ctx.db.prisma.earlyHelpCase.findMany({
                where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where,
                orderBy: { id: 'asc' },
                take,
              }),
          );
        },
      }),
    }),
  });

  builder.queryField('troubledFamilies', (t) =>
    t.field({
      type: TroubledFamilies,
      description:
        'The Troubled Families programme and Early Help: the claims table, and record-level lists for analysts.',
      resolve: (): ServiceRoot => ({ service: 'troubledFamilies' }),
    }),
  );
}
