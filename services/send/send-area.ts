// GraphQL: Area.send, the service's headline figures for an area (a local authority or a district), each an
// IndicatorValue from the reporting engine, plus specialist places by type of need. Asked for every
// district at once, each figure costs one grouped statement per indicator x period (dataloaders).
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { UserInputError } from '../../src/core/errors.js';
import { districtsIn } from '../../src/core/records.js';
import { requirePeriod } from '../../src/core/reporting/graphql/args.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { SendEnums } from './enums.js';
import type { PrimaryNeed } from './import.js';

interface SendAreaData {
  areaCode: string;
}

interface NeedPlaces {
  need: PrimaryNeed;
  places: number;
  specialSchools: number;
  resourced: number;
}

const CALENDAR_YEAR = 'Calendar year, e.g. `2016|CY`.';

const HEADLINES: Headline[] = [
  {
    field: 'ehcpIssuedWithin20Weeks',
    indicatorCode: 'SEND_EHCP_WITHIN_20_WEEKS',
    description:
      'Percentage of new EHC plans issued in the calendar year within 20 weeks of the request, exceptions excluded.',
    periodDescription: CALENDAR_YEAR,
  },
  {
    field: 'ehcpCount',
    indicatorCode: 'SEND_EHCP_COUNT',
    description:
      'EHC plans in force on the January census date of the calendar year; `change` is the movement on the year before.',
    periodDescription: CALENDAR_YEAR,
  },
  {
    field: 'specialistPlaces',
    indicatorCode: 'SEND_SPECIALIST_PLACES',
    description: 'Specialist places commissioned for the academic year: special schools, SRPs and satellites.',
    periodDescription: 'Academic year, e.g. `2017/2018|AY`.',
  },
];

/**
 * Places by need for every requested area and year, one grouped statement per request: every district's
 * places by need and year, summed here for a district or for all the districts of a larger area.
 */
function placesByNeed(ctx: Context, areaCode: string, periodCode: string): Promise<NeedPlaces[]> {
  return ctx
    .loader<string, NeedPlaces[]>('send.placesByNeed', async (keys) => {
      const asked = keys.map((k) => JSON.parse(k) as [string, string]);
      const periods = [...new Set(asked.map(([, p]) => p))];
      const rows = await ctx.db.prisma.$queryRaw<
        { periodCode: string; districtCode: string; needType: PrimaryNeed; type: string; places: number }[]
      >`SELECT "periodCode", "districtCode", "needType"::text AS "needType", type::text AS type, SUM(places)::int AS places
        FROM "SpecialistProvision" WHERE "periodCode" IN (${Prisma.join(periods)})
        GROUP BY "periodCode", "districtCode", "needType", type`;
      return Promise.all(
        asked.map(async ([area, period]) => {
          const districts = new Set(await districtsIn(ctx, area));
          const byNeed = new Map<PrimaryNeed, NeedPlaces>();
          for (const r of rows) {
            if (r.periodCode !== period || !districts.has(r.districtCode)) continue;
            const n = byNeed.get(r.needType) ?? { need: r.needType, places: 0, specialSchools: 0, resourced: 0 };
            n.places += r.places;
            if (r.type === 'SPECIAL_SCHOOL') n.specialSchools += r.places;
            else n.resourced += r.places;
            byNeed.set(r.needType, n);
          }
          return [...byNeed.values()].sort((a, b) => b.places - a.places || a.need.localeCompare(b.need));
        }),
      );
    })
    .load(JSON.stringify([areaCode, periodCode]));
}

export function registerSendArea(builder: Builder, enums: SendEnums) {
  const SpecialistPlacesByNeed = builder.objectRef<NeedPlaces>('SpecialistPlacesByNeed').implement({
    description: 'Specialist places commissioned for one type of need in an area and academic year.',
    fields: (t) => ({
      need: t.field({ type: enums.need, description: 'The type of need the places are for.', resolve: (n) => n.need }),
      places: t.exposeInt('places', { description: 'All specialist places for this need.' }),
      specialSchools: t.exposeInt('specialSchools', { description: 'Places in special schools.' }),
      resourced: t.exposeInt('resourced', {
        description: 'Places in specialist resourced provisions (SRPs) and satellites in mainstream schools.',
      }),
    }),
  });

  const SendArea = builder.objectRef<SendAreaData>('SendArea').implement({
    description:
      'Special educational needs and disabilities in one area (a local authority or a district): headline figures through the reporting engine, and specialist places by need.',
    fields: (t) => ({
      ...headlineFields(t, HEADLINES),
      specialistPlacesByNeed: t.field({
        type: [SpecialistPlacesByNeed],
        description:
          'Specialist places commissioned for the academic year by type of need, most places first (needs without places are left out).',
        args: { period: t.arg.string({ required: true, description: 'Academic year, e.g. `2017/2018|AY`.' }) },
        resolve: async (a, args, ctx) => {
          const period = await requirePeriod(ctx, args.period, 'period');
          if (period.identifier !== 'AY') {
            throw new UserInputError(`places are commissioned by academic year; "${args.period}" is not one`, 'period');
          }
          return placesByNeed(ctx, a.areaCode, period.code);
        },
      }),
    }),
  });

  builder.prismaObjectField('Area', 'send', (t) =>
    t.field({
      type: SendArea,
      description:
        'Special educational needs and disabilities in this area: EHC plan timeliness and numbers, specialist places. Records are kept for a local authority and its districts; elsewhere figures are published ones or unavailable (`x`).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
