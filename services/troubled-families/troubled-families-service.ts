// GraphQL: Query.troubledFamilies, the service as a whole: the claims table for any local authority or
// district, and the record-level lists of families and early help cases (analysts only) with filters and
// cursor pagination.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { cursorPage, pageArgs, pageRequest } from '../../src/core/paging.js';
import { dateArg } from '../../src/core/records.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { claimsProgress } from './claims-progress-data.js';
import type { registerClaimsProgress } from './claims-progress-type.js';
import type { registerEarlyHelpCase } from './early-help-case.js';
import type { TroubledFamiliesEnums } from './enums.js';
import type { registerTroubledFamily } from './troubled-family.js';

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
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx: Context) => {
          const page = pageRequest(args, 1);
          const from = dateArg(args.attachedFrom, 'attachedFrom');
          const to = dateArg(args.attachedTo, 'attachedTo');
          const where: Prisma.TroubledFamilyWhereInput = {
            ...(args.district ? { districtCode: args.district } : {}),
            ...(from || to ? { attachedOn: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
            ...(args.criterion ? { criteria: { has: args.criterion } } : {}),
          };
          return cursorPage(page, {
            count: () => ctx.db.prisma.troubledFamily.count({ where }),
            rows: (take, after) =>
              ctx.db.prisma.troubledFamily.findMany({
                where: after ? { AND: [where, { id: { gt: after[0] } }] } : where,
                orderBy: { id: 'asc' },
                take,
              }),
            key: (f) => [f.id],
          });
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
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx: Context) => {
          const page = pageRequest(args, 1);
          const on = dateArg(args.openOn, 'openOn');
          const where: Prisma.EarlyHelpCaseWhereInput = {
            ...(args.district ? { districtCode: args.district } : {}),
            ...(args.personId ? { personId: args.personId } : {}),
            ...(args.closureReason ? { closureReason: args.closureReason } : {}),
            ...(args.stepDown === null || args.stepDown === undefined ? {} : { stepDown: args.stepDown }),
            ...(on ? { openedOn: { lte: on }, OR: [{ closedOn: null }, { closedOn: { gte: on } }] } : {}),
          };
          return cursorPage(page, {
            count: () => ctx.db.prisma.earlyHelpCase.count({ where }),
            rows: (take, after) =>
              ctx.db.prisma.earlyHelpCase.findMany({
                where: after ? { AND: [where, { id: { gt: after[0] } }] } : where,
                orderBy: { id: 'asc' },
                take,
              }),
            key: (c) => [c.id],
          });
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
