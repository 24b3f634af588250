// GraphQL: EarlyYearsSetting, a setting on the Ofsted early years register with its inspections (record
// level: analysts only), and a page of them.
import type { Builder } from '../../src/builder.js';
import type { Context } from '../../src/context.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import type { EarlyYearsEnums } from './enums.js';

type Grade = 'OUTSTANDING' | 'GOOD' | 'REQUIRES_IMPROVEMENT' | 'INADEQUATE';

export interface SettingRow {
  urn: string;
  name: string;
  type: 'CHILDMINDER' | 'NON_DOMESTIC' | 'DOMESTIC' | 'NURSERY_SCHOOL';
  districtCode: string;
  registeredOn: Date | null;
  closedOn: Date | null;
  /** The latest inspection as of the list's `asOf` date (or ever). */
  latest: InspectionRow | null;
}

export interface InspectionRow {
  inspectedOn: Date;
  grade: Grade;
}

/** Every inspection of the settings on a page, in one query. */
function inspectionsOf(ctx: Context, urn: string) {
  return ctx
    .loader<string, InspectionRow[]>('earlyYears.inspectionsByUrn', async (urns) => {
      const rows = await ctx.db.prisma.earlyYearsInspection.findMany({
        where: { urn: { in: [...urns] } },
        orderBy: [{ urn: 'asc' }, { inspectedOn: 'desc' }],
      });
      const by = new Map<string, InspectionRow[]>();
      for (const r of rows) by.set(r.urn, [...(by.get(r.urn) ?? []), { inspectedOn: r.inspectedOn, grade: r.grade }]);
      return urns.map((u) => by.get(u) ?? []);
    })
    .load(urn);
}

export function registerEarlyYearsSetting(builder: Builder, enums: EarlyYearsEnums) {
  const EarlyYearsInspection = builder.objectRef<InspectionRow>('EarlyYearsInspection').implement({
    ...recordLevel('early-years'),
    description: 'One Ofsted inspection of an early years setting.',
    fields: (t) => ({
      inspectedOn: t.field({ type: 'Date', description: 'Date of the inspection.', resolve: (i) => i.inspectedOn }),
      grade: t.field({ type: enums.grade, description: 'Overall effectiveness.', resolve: (i) => i.grade }),
      goodOrOutstanding: t.boolean({
        description: 'Judged good or outstanding.',
        resolve: (i) => i.grade === 'GOOD' || i.grade === 'OUTSTANDING',
      }),
    }),
  });

  const EarlyYearsSetting = builder.objectRef<SettingRow>('EarlyYearsSetting').implement({
    ...recordLevel('early-years'),
    description: 'An early years setting on the Ofsted register. Record level: analysts only.',
    fields: (t) => ({
      urn: t.exposeString('urn', { description: 'Ofsted unique reference number.' }),
      name: t.exposeString('name', { description: 'Registered name (childminders carry a neutral label).' }),
      type: t.field({ type: enums.settingType, description: 'Ofsted registration type.', resolve: (s) => s.type }),
      district: t.prismaField({
        type: 'Area',
        description: 'The district the setting is in.',
        resolve: async (_query, s, _args, ctx) => {
          const area = await areaByCode(ctx, s.districtCode);
          if (!area) throw new Error(`District ${s.districtCode} of setting ${s.urn} is not in the store`);
          return area;
        },
      }),
      registeredOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'Date registered with Ofsted, when known.',
        resolve: (s) => s.registeredOn,
      }),
      closedOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'Date closed or removed from the register; null while open.',
        resolve: (s) => s.closedOn,
      }),
      latestInspection: t.field({
        type: EarlyYearsInspection,
        nullable: true,
        description: 'The latest inspection (as of the list’s `asOf` date, when given); null when not yet inspected.',
        resolve: (s) => s.latest,
      }),
      inspections: t.field({
        type: [EarlyYearsInspection],
        description: 'Every recorded inspection, latest first.',
        resolve: (s, _args, ctx) => inspectionsOf(ctx, s.urn),
      }),
    }),
  });

  const EarlyYearsSettingPage = pageType(builder, EarlyYearsSetting, {
    service: 'early-years',
    description: 'A page of early years settings.',
    nodes: 'The settings on this page, by URN.',
    totalCount: 'Settings matching the filters, on every page.',
  });
  return { EarlyYearsSettingPage };
}
