// `core/areas` (the geography: England, regions, local authorities, districts) and `core/neighbours` (an
// LA's DfE statistical neighbours, ranked).
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.js';
import { arrayLiteral } from '../../bulk.js';
import { AREA_LEVEL_ALIASES, blankAsNull, integer, oneOf, text } from '../fields.js';
import type { ImportFormat, RowError } from '../types.js';
import { tableWriter, upsertRows, WRITE_BATCH } from '../upsert.js';

export const AREA_LEVEL_ORDER = ['NATIONAL', 'REGIONAL', 'LOCAL_AUTHORITY', 'DISTRICT'] as const;
const LEVEL_TYPE =
  'one of NAT|REG|LA|LAD (or National, Regional, Local authority, Local authority district, or the GraphQL names)';

type AreaRow = Prisma.AreaCreateManyInput;

export const areasFormat: ImportFormat<AreaRow> = {
  name: 'core/areas',
  description:
    'Geographies: England, regions, local authorities and districts, each with its parent. A parent may be ' +
    'listed in the same file. Re-importing updates names, levels and parents.',
  columns: [
    { name: 'code', type: 'text', required: true, description: 'ONS code, e.g. E10000016.' },
    { name: 'name', type: 'text', required: true, description: 'Official name.' },
    { name: 'level', type: LEVEL_TYPE, required: true, description: 'Geographic level, as EES geographic_level.' },
    {
      name: 'parent_code',
      type: 'area code, or blank',
      required: true,
      description: 'The area this one lies in (in the store or in this file); blank for England.',
    },
  ],
  example: { code: 'E07000110', name: 'Maidstone', level: 'LAD', parent_code: 'E10000016' },
  row: z
    .object({
      code: text('an ONS area code'),
      name: text('a name'),
      level: oneOf(AREA_LEVEL_ORDER, AREA_LEVEL_ALIASES),
      parent_code: blankAsNull(text()),
    })
    .transform((r, ctx) => {
      if (r.parent_code === r.code) {
        ctx.addIssue({
          code: 'custom',
          path: ['parent_code'],
          message: 'expected another area: an area cannot contain itself',
        });
      }
      return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code };
    }),
  references: [{ column: 'parent_code', table: 'Area', tableColumn: 'code', alsoInFileColumn: 'code' }],
  key: (r) => r.code,
  keyColumns: ['code'],
  // Parents before children, so a child never waits for a parent in a later batch.
  order: (a, b) => AREA_LEVEL_ORDER.indexOf(a.level) - AREA_LEVEL_ORDER.indexOf(b.level),
  write: tableWriter<AreaRow>({
    table: 'Area',
    key: [{ name: 'code', type: 'text', get: (r) => r.code }],
    values: [
      { name: 'name', type: 'text', get: (r) => r.name },
      { name: 'level', type: '"AreaLevel"', get: (r) => r.level },
      { name: 'parentCode', type: 'text', get: (r) => r.parentCode },
    ],
  }),
  tables: ['Area'],
};

type NeighbourRow = Prisma.StatisticalNeighbourCreateManyInput;

const NEIGHBOUR_TABLE = {
  table: 'StatisticalNeighbour',
  key: [
    { name: 'laCode', type: 'text', get: (r: NeighbourRow) => r.laCode },
    { name: 'neighbourCode', type: 'text', get: (r: NeighbourRow) => r.neighbourCode },
  ],
  values: [{ name: 'rank', type: 'int', get: (r: NeighbourRow) => r.rank }],
};

export const neighboursFormat: ImportFormat<NeighbourRow> = {
  name: 'core/neighbours',
  description:
    'DfE statistical neighbours of a local authority, rank 1 = closest. A corrected file may reorder an ' +
    "LA's neighbours; a rank held by a neighbour the file does not list is an error.",
  columns: [
    { name: 'la_code', type: 'area code', required: true, description: 'The local authority (an Area in the store).' },
    { name: 'neighbour_code', type: 'area code', required: true, description: 'Its neighbour (an Area in the store).' },
    { name: 'rank', type: 'whole number from 1', required: true, description: 'Order of closeness, 1 = closest.' },
  ],
  example: { la_code: 'E10000016', neighbour_code: 'E10000011', rank: '1' },
  row: z
    .object({ la_code: text('an LA code'), neighbour_code: text('an area code'), rank: integer({ min: 1 }) })
    .transform((r, ctx) => {
      if (r.la_code === r.neighbour_code) {
        ctx.addIssue({
          code: 'custom',
          path: ['neighbour_code'],
          message: 'expected another area: an LA is not its own neighbour',
        });
      }
      return { laCode: r.la_code, neighbourCode: r.neighbour_code, rank: r.rank };
    }),
  references: [
    { column: 'la_code', table: 'Area', tableColumn: 'code' },
    { column: 'neighbour_code', table: 'Area', tableColumn: 'code' },
  ],
  key: (r) => `${r.laCode}|${r.neighbourCode}`,
  keyColumns: ['la_code', 'neighbour_code'],
  order: (a, b) => (a.laCode < b.laCode ? -1 : a.laCode > b.laCode ? 1 : a.rank - b.rank),
  async check(db, rows) {
    const errors: RowError[] = [];
    // Reordering works within one write batch; England has about 150 LAs x 10 neighbours.
    if (rows.length > WRITE_BATCH) {
      errors.push({
        line: 0,
        column: '',
        value: String(rows.length),
        message: `expected at most ${WRITE_BATCH} rows in one neighbours file: split it by la_code`,
      });
      return errors;
    }
    const byRank = new Map<string, number>();
    for (const { line, row } of rows) {
      const k = `${row.laCode}|${row.rank}`;
      const first = byRank.get(k);
      if (first !== undefined) {
        errors.push({
          line,
          column: 'rank',
          value: String(row.rank),
          message: `duplicate rank: line ${first} gives ${row.laCode} a neighbour at rank ${row.rank} too; expected each rank once per LA`,
        });
      } else byRank.set(k, line);
    }
    const listed = new Set(rows.map((r) => `${r.row.laCode}|${r.row.neighbourCode}`));
    const stored = await db.$queryRawUnsafe<{ laCode: string; neighbourCode: string; rank: number }[]>(
      'SELECT "laCode", "neighbourCode", "rank" FROM "StatisticalNeighbour" WHERE "laCode" = ANY($1::text::text[])',
      arrayLiteral([...new Set(rows.map((r) => r.row.laCode))]),
    );
    for (const s of stored) {
      const line = byRank.get(`${s.laCode}|${s.rank}`);
      if (line !== undefined && !listed.has(`${s.laCode}|${s.neighbourCode}`)) {
        errors.push({
          line,
          column: 'rank',
          value: String(s.rank),
          message: `expected a free rank: rank ${s.rank} of ${s.laCode} is held by ${s.neighbourCode} in the store, which this file does not list (list it too, with its new rank)`,
        });
      }
    }
    return errors;
  },
  async write(tx, rows) {
    // Ranks are unique per LA: park rows that move on negative ranks first, so swaps never collide.
    await tx.$executeRawUnsafe(
      `UPDATE "StatisticalNeighbour" AS t SET "rank" = -i."rank"
       FROM unnest($1::text::text[], $2::text::text[], $3::text::int[]) AS i("laCode", "neighbourCode", "rank")
       WHERE t."laCode" = i."laCode" AND t."neighbourCode" = i."neighbourCode" AND t."rank" <> i."rank"`,
      arrayLiteral(rows.map((r) => r.laCode)),
      arrayLiteral(rows.map((r) => r.neighbourCode)),
      arrayLiteral(rows.map((r) => r.rank)),
    );
    return upsertRows(tx, NEIGHBOUR_TABLE, rows);
  },
  tables: ['StatisticalNeighbour'],
};
