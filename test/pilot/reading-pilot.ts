// GraphQL of the reading pilot: `Area.readingPilot { completion(period) enrolments(period) books(period)
// records(period) }`. Figures go through the reporting engine; records are read with raw SQL (the pilot's
// model is not in the generated Prisma client), batched across every area of the request.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { ForbiddenError } from '../../src/core/errors.js';
import { indicatorValue } from '../../src/core/reporting/plugin-api.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export interface EnrolmentRow {
  personId: string;
  periodCode: string;
  districtCode: string;
  enrolledOn: Date;
  completed: boolean;
  booksRead: number;
  laCode: string | null;
}

/** Enrolments for an area (a district, or an LA through its districts) in a period; one statement per batch. */
function enrolments(ctx: Context, areaCode: string, periodCode: string): Promise<EnrolmentRow[]> {
  return ctx
    .loader<string, EnrolmentRow[]>('readingPilot.enrolments', async (keys) => {
      const asked = keys.map((k) => k.split('#') as [string, string]);
      const periods = [...new Set(asked.map(([, p]) => p))];
      const areas = [...new Set(asked.map(([a]) => a))];
      const rows = await ctx.db.prisma.$queryRaw<EnrolmentRow[]>(Prisma.sql`
        SELECT e."personId", e."periodCode", e."districtCode", e."enrolledOn", e.completed AS "completed",
               e."booksRead", a."parentCode" AS "laCode"
        FROM "ReadingPilotEnrolment" e JOIN "Area" a ON a.code = e."districtCode"
        WHERE e."periodCode" IN (${Prisma.join(periods)})
          AND (e."districtCode" IN (${Prisma.join(areas)}) OR a."parentCode" IN (${Prisma.join(areas)}))
        ORDER BY e."districtCode", e."personId"`);
      return asked.map(([area, period]) =>
        rows.filter((r) => r.periodCode === period && (r.districtCode === area || r.laCode === area)),
      );
    })
    .load(`${areaCode}#${periodCode}`);
}

export function registerReadingPilot(builder: Builder) {
  const Enrolment = builder.objectRef<EnrolmentRow>('ReadingPilotEnrolment').implement({
    description: 'One child’s enrolment in the reading pilot (record level: analysts only).',
    fields: (t) => ({
      personId: t.string({ description: 'Pseudonymous person id.', resolve: (r) => r.personId }),
      districtCode: t.string({
        description: 'District of the pilot school (ONS code).',
        resolve: (r) => r.districtCode,
      }),
      enrolledOn: t.field({ type: 'Date', description: 'Date of enrolment.', resolve: (r) => r.enrolledOn }),
      completed: t.boolean({ description: 'Completed the programme.', resolve: (r) => r.completed }),
      booksRead: t.int({ description: 'Books read during the pilot.', resolve: (r) => r.booksRead }),
    }),
  });

  const ReadingPilot = builder.objectRef<{ areaCode: string }>('ReadingPilot').implement({
    description: 'The reading pilot in one area (test plugin proving the service plugin contract).',
    fields: (t) => {
      const period = () => t.arg.string({ required: true, description: 'Academic year, e.g. `2016/2017|AY`.' });
      return {
        completion: t.field({
          type: 'IndicatorValue',
          description: 'PILOT_COMPLETION: % of enrolled children who completed the programme.',
          args: { period: period() },
          resolve: (a, args, ctx) => indicatorValue(ctx, 'PILOT_COMPLETION', a.areaCode, args.period),
        }),
        enrolments: t.field({
          type: 'IndicatorValue',
          description: 'PILOT_ENROLMENTS: children enrolled.',
          args: { period: period() },
          resolve: (a, args, ctx) => indicatorValue(ctx, 'PILOT_ENROLMENTS', a.areaCode, args.period),
        }),
        books: t.field({
          type: 'IndicatorValue',
          description: 'PILOT_BOOKS: mean books read per enrolled child.',
          args: { period: period() },
          resolve: (a, args, ctx) => indicatorValue(ctx, 'PILOT_BOOKS', a.areaCode, args.period),
        }),
        records: t.field({
          type: [Enrolment],
          description: 'Record level: analysts only. The enrolments in this area in the period.',
          args: { period: period() },
          resolve: (a, args, ctx) => {
            if (ctx.disclosureControl || ctx.viewer.role === 'PARTNER' || ctx.viewer.role === 'PUBLIC') {
              throw new ForbiddenError('Reading pilot records are for analysts only');
            }
            return enrolments(ctx, a.areaCode, args.period);
          },
        }),
      };
    },
  });

  builder.prismaObjectField('Area', 'readingPilot', (t) =>
    t.field({
      type: ReadingPilot,
      description: 'The reading pilot in this area (a district, or a local authority as the sum of its districts).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
