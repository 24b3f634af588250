// GraphQL: Area (England, regions, local authorities, districts) and the queries that find them.
import type { Builder } from '../builder.js';

export const AREA_LEVELS = ['NATIONAL', 'REGIONAL', 'LOCAL_AUTHORITY', 'DISTRICT'] as const;

export function registerArea(builder: Builder) {
  const AreaLevel = builder.enumType('AreaLevel', {
    description: 'Geographic level. In DfE open-data CSV: NAT, REG, LA, LAD.',
    values: {
      NATIONAL: { description: 'A country (England).' },
      REGIONAL: { description: 'A region, e.g. South East.' },
      LOCAL_AUTHORITY: { description: 'An upper-tier local authority, e.g. Kent.' },
      DISTRICT: { description: 'A lower-tier district of a local authority, e.g. Maidstone.' },
    } as const,
  });

  const Area = builder.prismaObject('Area', {
    description: 'A geography the directorate reports on: England, a region, a local authority or a district.',
    fields: (t) => ({
      code: t.exposeString('code', { description: 'ONS code, e.g. E10000016 (Kent) or E07000110 (Maidstone).' }),
      name: t.exposeString('name', { description: 'Official name.' }),
      level: t.expose('level', { type: AreaLevel, description: 'Geographic level.' }),
      parent: t.relation('parent', {
        nullable: true,
        description: 'The area this one lies in (a district’s local authority, an LA’s region); null for England.',
      }),
      children: t.relation('children', {
        description: 'Areas directly inside this one, by name.',
        query: { orderBy: { name: 'asc' } },
      }),
    }),
  });

  // Declared after Area so the field can name its own type.
  builder.prismaObjectField('Area', 'statisticalNeighbours', (t) =>
    t.field({
      type: [Area],
      description:
        'The DfE statistical neighbours of a local authority, closest first (empty for other levels). Used for benchmarks.',
      select: { neighbours: { orderBy: { rank: 'asc' }, include: { neighbour: true } } },
      resolve: (area) => area.neighbours.map((n) => n.neighbour),
    }),
  );

  builder.queryFields((t) => ({
    areas: t.prismaField({
      type: ['Area'],
      description: 'Areas, optionally of one level, ordered by level then name.',
      args: { level: t.arg({ type: AreaLevel, required: false, description: 'Only areas of this level.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.prisma.area.findMany({
          ...query,
          where: args.level ? { level: args.level } : undefined,
          orderBy: [{ level: 'asc' }, { name: 'asc' }],
        }),
    }),
    area: t.prismaField({
      type: 'Area',
      nullable: true,
      description: 'One area by its ONS code; null when there is no such area.',
      args: { code: t.arg.string({ required: true, description: 'ONS code, e.g. E10000016.' }) },
      resolve: (query, _root, args, ctx) => ctx.db.prisma.area.findUnique({ ...query, where: { code: args.code } }),
    }),
  }));
}
