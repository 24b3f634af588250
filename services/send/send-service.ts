// GraphQL: Query.send, the service's record-level list for analysts: EHC needs assessments filtered by area
// (a local authority or a district), outcome, need, dates and exceptions, with cursor pagination.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { UserInputError } from '../../src/core/errors.js';
import { cursorPage, type Page, pageArgs, pageRequest } from '../../src/core/paging.js';
import { dateArg, districtsIn } from '../../src/core/records.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { AssessmentRow, registerEhcAssessment } from './ehc-assessment.js';
import type { SendEnums } from './enums.js';

interface ServiceRoot {
  service: 'send';
}

interface AssessmentArgs {
  area?: string | null;
  outcome?: AssessmentRow['outcome'] | null;
  primaryNeed?: NonNullable<AssessmentRow['primaryNeed']> | null;
  requestedFrom?: string | null;
  requestedTo?: string | null;
  issuedFrom?: string | null;
  issuedTo?: string | null;
  exception?: boolean | null;
  first?: number | null;
  after?: string | null;
}

function range(from: string | null | undefined, to: string | null | undefined, names: [string, string]) {
  const gte = dateArg(from, names[0]);
  const lte = dateArg(to, names[1]);
  if (gte && lte && lte < gte) throw new UserInputError(`${names[1]} is before ${names[0]}`, names[1]);
  return gte || lte ? { ...(gte ? { gte } : {}), ...(lte ? { lte } : {}) } : undefined;
}

async function assessments(ctx: Context, args: AssessmentArgs): Promise<Page<AssessmentRow>> {
  const page = pageRequest(args, 1);
  const requestedOn = range(args.requestedFrom, args.requestedTo, ['requestedFrom', 'requestedTo']);
  const issuedOn = range(args.issuedFrom, args.issuedTo, ['issuedFrom', 'issuedTo']);
  const where: Prisma.EhcAssessmentWhereInput = {
    ...(args.area ? { person: { districtCode: { in: await districtsIn(ctx, args.area) } } } : {}),
    ...(args.outcome ? { outcome: args.outcome } : {}),
    ...(args.primaryNeed ? { primaryNeed: args.primaryNeed } : {}),
    ...(requestedOn ? { requestedOn } : {}),
    ...(issuedOn ? { issuedOn } : {}),
    ...(args.exception !== null && args.exception !== undefined ? { exception: args.exception } : {}),
  };
  return cursorPage(page, {
    count: () => ctx.db.prisma.ehcAssessment.count({ where }),
    rows: async (take, after) => {
      const rows = await ctx.db.prisma.ehcAssessment.findMany({
        where: after ? { AND: [where, { id: { gt: after[0] } }] } : where,
        include: { person: { select: { districtCode: true } } },
        orderBy: { id: 'asc' },
        take,
      });
      return rows.map(({ person, ...a }) => ({ ...a, districtCode: person.districtCode }));
    },
    key: (a) => [a.id],
  });
}

export function registerSendService(
  builder: Builder,
  enums: SendEnums,
  refs: { EhcAssessmentPage: ReturnType<typeof registerEhcAssessment>['EhcAssessmentPage'] },
) {
  const Send = builder.objectRef<ServiceRoot>('Send').implement({
    description: 'Special educational needs and disabilities across the directorate: record-level lists for analysts.',
    fields: (t) => ({
      assessments: t.field({
        ...recordLevel('send'),
        type: refs.EhcAssessmentPage,
        description: 'EHC needs assessments, by id, filtered. Record level: analysts only.',
        args: {
          area: t.arg.string({
            required: false,
            description: 'ONS code of a local authority or district: children and young people living there.',
          }),
          outcome: t.arg({ type: enums.outcome, required: false, description: 'Only assessments with this outcome.' }),
          primaryNeed: t.arg({
            type: enums.need,
            required: false,
            description: 'Only assessments for this primary need.',
          }),
          requestedFrom: t.arg.string({
            required: false,
            description: 'Requested on or after this date (YYYY-MM-DD).',
          }),
          requestedTo: t.arg.string({ required: false, description: 'Requested on or before this date (YYYY-MM-DD).' }),
          issuedFrom: t.arg.string({ required: false, description: 'Plan issued on or after this date (YYYY-MM-DD).' }),
          issuedTo: t.arg.string({ required: false, description: 'Plan issued on or before this date (YYYY-MM-DD).' }),
          exception: t.arg.boolean({
            required: false,
            description: 'Only assessments with (true) or without (false) a statutory exception to the 20 weeks.',
          }),
          ...pageArgs(builder),
        },
        resolve: (_root, args, ctx) => assessments(ctx, args),
      }),
    }),
  });

  builder.queryField('send', (t) =>
    t.field({
      type: Send,
      description:
        'The SEND service: record-level EHC needs assessments (analysts only). Area figures are on `Area.send`.',
      resolve: () => ({ service: 'send' as const }),
    }),
  );
}
