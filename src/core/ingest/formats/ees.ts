// `core/ees`: a published DfE open-data file in its own tidy layout (Explore education statistics), loaded
// as Observations through a small mapping file (`--map map.json`) that says which indicator column feeds
// which indicator code and which filter values mean which breakdown group.
//
// Choices where files vary: columns are matched by name (LA columns come in any order; unmapped columns are
// ignored); a value cell is a number or an EES symbol (c, x, z, low, u; legacy k is stored as low);
// periods and areas the store lacks are created (areas with the names and parents the row gives; existing
// areas are never renamed), unless the map says "unknownAreas": "error". Indicator codes must be in the
// catalogue, or be defined in the map (then created, never overwriting a plugin's definition).
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.js';
import { arrayLiteral, bulkInsert } from '../../bulk.js';
import { PERIOD_TYPES, parsePeriod } from '../../period-codes.js';
import { CORE_SERVICE } from '../../reporting/catalogue.js';
import { POLARITIES, UNITS } from '../../reporting/types.js';
import { AREA_LEVEL_ALIASES, eesPeriod } from '../fields.js';
import { ImportOptionError } from '../run.js';
import type { ColumnSpec, ImportFormat, RowError } from '../types.js';
import { addCounts, ensurePeriods, upsertRows } from '../upsert.js';

/** EES symbols accepted in value cells; `k` is the legacy spelling of `low`. */
export const EES_SYMBOLS = ['c', 'x', 'z', 'low', 'u', 'k'] as const;

const definitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  unit: z.enum(UNITS),
  polarity: z.enum(POLARITIES),
  decimalPlaces: z.number().int().min(0).max(6).default(1),
  /** Default: the type of the first period the file has for it. */
  periodType: z.enum(PERIOD_TYPES).optional(),
  /** Plugin key the indicator belongs to; default `core` (published figures no plugin owns, always listed). */
  service: z.string().min(1).default(CORE_SERVICE),
  amberTolerance: z.number().min(0).optional(),
});

export const eesMapSchema = z.object({
  /** Stored on every Observation (provenance), e.g. the publication's name. */
  source: z.string().optional(),
  unknownAreas: z.enum(['create', 'error']).default('create'),
  indicators: z
    .array(
      z.object({
        /** The column holding the indicator's value. */
        column: z.string().min(1),
        code: z.string().min(1),
        numerator: z.string().min(1).optional(),
        denominator: z.string().min(1).optional(),
        /** For files that publish a group as its own column (NEET_NK_EHCP_percent): the group it stands for. */
        breakdown: z.string().min(1).optional(),
        define: definitionSchema.optional(),
      }),
    )
    .min(1),
  /**
   * Filter column → filter value → breakdown group (`TOTAL` = the whole population), or null to leave such
   * rows out; `"*"` stands for any value not listed. Groups of several filters are joined with `+`.
   */
  filters: z.record(z.string(), z.record(z.string(), z.string().min(1).nullable())).default({}),
});
export type EesMap = z.infer<typeof eesMapSchema>;

interface EesArea {
  code: string;
  name: string;
  level: 'NATIONAL' | 'REGIONAL' | 'LOCAL_AUTHORITY' | 'DISTRICT';
  parentCode: string | null;
}

interface EesObservation {
  indicatorCode: string;
  areaCode: string;
  periodCode: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  symbol: string | null;
  source: string | null;
}

export interface EesRow {
  periodCode: string;
  /** The row's area and the areas above it the row names (country, region), top first. */
  areas: EesArea[];
  breakdown: string;
  observations: EesObservation[];
}

const GEOGRAPHY: ColumnSpec[] = [
  {
    name: 'time_period',
    type: 'EES time_period',
    required: true,
    description: '2025, or 202425 for two-year periods.',
  },
  {
    name: 'time_identifier',
    type: 'EES time_identifier',
    required: true,
    description: 'Calendar year, Academic year, …',
  },
  {
    name: 'geographic_level',
    type: 'National|Regional|Local authority|Local authority district (or NAT|REG|LA|LAD)',
    required: true,
    description: 'Which code column names the row’s area.',
  },
  { name: 'country_code', type: 'text', required: true, description: 'E92000001 for England.' },
  { name: 'country_name', type: 'text', required: false, description: 'Name of a country created on the way.' },
  { name: 'region_code', type: 'text', required: false, description: 'Needed on Regional rows.' },
  { name: 'region_name', type: 'text', required: false, description: 'Name of a region created on the way.' },
  { name: 'old_la_code', type: 'text', required: false, description: 'Three-digit DfE LA number (not stored).' },
  { name: 'new_la_code', type: 'text', required: false, description: 'Needed on Local authority rows.' },
  { name: 'la_name', type: 'text', required: false, description: 'Name of an LA created on the way.' },
  { name: 'lad_code', type: 'text', required: false, description: 'Needed on Local authority district rows.' },
  { name: 'lad_name', type: 'text', required: false, description: 'Name of a district created on the way.' },
];

/** A value cell: a number, or an EES symbol (k read as low). */
export function eesCell(raw: string): { value: number | null; symbol: string | null } | null {
  const v = raw.trim();
  if ((EES_SYMBOLS as readonly string[]).includes(v)) return { value: null, symbol: v === 'k' ? 'low' : v };
  if (v !== '' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return { value: Number(v), symbol: null };
  return null;
}

const CELL_EXPECTED = `expected a number or an EES symbol (${EES_SYMBOLS.join(', ')})`;

/** The format as `--help` lists it; running it needs `--map`, which `configure` turns into columns and rows. */
export const eesFormat: ImportFormat<EesRow> = {
  name: 'core/ees',
  description:
    'A published DfE open-data CSV (EES tidy layout) as Observations, through --map map.json: ' +
    '{"indicators":[{"column":"pt_l2basics_94","code":"KS4_BASICS_94","numerator":"t_l2basics_94","denominator":"t_pupils"}],' +
    '"filters":{"social_care_group":{"CLA 12 months at 31 March":"IN_CARE","*":null}}}. Columns are matched by name; ' +
    'the map’s filter and indicator columns are required too, others are ignored.',
  columns: GEOGRAPHY,
  example: {
    time_period: '202425',
    time_identifier: 'Academic year',
    geographic_level: 'Local authority',
    country_code: 'E92000001',
    country_name: 'England',
    region_code: 'E12000008',
    region_name: 'South East',
    old_la_code: '886',
    new_la_code: 'E10000016',
    la_name: 'Kent',
  },
  allowExtraColumns: true,
  options: [
    {
      name: 'map',
      required: true,
      description:
        'JSON mapping: indicators [{column, code, numerator?, denominator?, define?}], filters {column: {value: group|null}}, source?, unknownAreas? (create|error)',
    },
  ],
  row: z.never(),
  key: (r) => `${r.areas.at(-1)?.code}|${r.periodCode}|${r.breakdown}`,
  async write() {
    throw new Error('core/ees needs its map: the framework calls configure() first');
  },
  tables: ['Observation', 'Period', 'Area', 'Indicator'],
  async configure(options, db) {
    let json: unknown;
    try {
      json = JSON.parse(options.map ?? '');
    } catch (e) {
      throw new ImportOptionError('map', `the map is not JSON: ${(e as Error).message}`);
    }
    const parsed = eesMapSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ImportOptionError('map', `the map is invalid at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    }
    const map = parsed.data;
    const codes = [...new Set(map.indicators.map((i) => i.code))];
    const pairs = map.indicators.map((i) => `${i.code} (breakdown ${i.breakdown ?? 'from the filters'})`);
    const twice = pairs.find((c, i) => pairs.indexOf(c) !== i);
    if (twice) throw new ImportOptionError('map', `the map names indicator ${twice} twice`);
    const known = new Set(
      (await db.indicator.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((i) => i.code),
    );
    const unknown = codes.filter((c) => !known.has(c) && !map.indicators.some((i) => i.code === c && i.define));
    if (unknown.length) {
      throw new ImportOptionError(
        'map',
        `indicator code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not in the catalogue: add "define" {name, unit, polarity} to the map or use a catalogue code`,
      );
    }
    return configured(map, known);
  },
};

function configured(map: EesMap, known: Set<string>): ImportFormat<EesRow> {
  const filterColumns = Object.keys(map.filters);
  const indicatorColumns = [
    ...new Set(map.indicators.flatMap((i) => [i.column, i.numerator, i.denominator].filter((c): c is string => !!c))),
  ];
  const columns: ColumnSpec[] = [
    ...GEOGRAPHY,
    ...filterColumns.map((name) => ({
      name,
      type: `one of ${Object.keys(map.filters[name]).join('|')}`,
      required: true,
      description: 'Filter (breakdown) column named in the map.',
    })),
    ...indicatorColumns
      .filter((name) => !GEOGRAPHY.some((g) => g.name === name))
      .map((name) => ({
        name,
        type: CELL_EXPECTED.replace('expected ', ''),
        required: true,
        description: 'Indicator column named in the map.',
      })),
  ];
  const groupOf = (column: string, value: string): string | null | undefined => {
    const m = map.filters[column];
    return value in m ? m[value] : m['*'];
  };

  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const c of columns) shape[c.name] = c.required ? z.string() : z.string().optional();
  const row = z.object(shape).transform((cells, ctx): EesRow => {
    const get = (c: string) => cells[c]?.trim() ?? '';
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const periodCode = eesPeriod(get('time_period'), get('time_identifier'), ctx);

    const levelText = get('geographic_level');
    const level = (AREA_LEVEL_ALIASES as Record<string, EesArea['level']>)[levelText];
    const areas: EesArea[] = [];
    const need = (column: string) => {
      const v = get(column);
      if (!v) issue(column, `expected an area code: ${levelText} rows name their area in ${column}`);
      return v;
    };
    const country: EesArea = {
      code: need('country_code'),
      name: get('country_name') || get('country_code'),
      level: 'NATIONAL',
      parentCode: null,
    };
    areas.push(country);
    if (!level) {
      issue(
        'geographic_level',
        'expected National, Regional, Local authority or Local authority district (or NAT, REG, LA, LAD)',
      );
    } else if (level !== 'NATIONAL') {
      const regionCode = level === 'REGIONAL' ? need('region_code') : get('region_code');
      if (regionCode) {
        areas.push({
          code: regionCode,
          name: get('region_name') || regionCode,
          level: 'REGIONAL',
          parentCode: country.code,
        });
      }
      if (level === 'LOCAL_AUTHORITY' || (level === 'DISTRICT' && get('new_la_code'))) {
        const la = level === 'LOCAL_AUTHORITY' ? need('new_la_code') : get('new_la_code');
        areas.push({ code: la, name: get('la_name') || la, level: 'LOCAL_AUTHORITY', parentCode: regionCode || null });
      }
      if (level === 'DISTRICT') {
        const lad = need('lad_code');
        areas.push({
          code: lad,
          name: get('lad_name') || lad,
          level: 'DISTRICT',
          parentCode: get('new_la_code') || null,
        });
      }
    }

    const groups: string[] = [];
    for (const f of filterColumns) {
      const g = groupOf(f, get(f));
      if (g === undefined) {
        issue(f, `expected one of the values the map names for ${f}: ${Object.keys(map.filters[f]).join(', ')}`);
      } else if (g && g !== 'TOTAL') groups.push(g);
    }
    const breakdown = groups.length ? groups.join('+') : 'TOTAL';
    const breakdownOf = (own: string | undefined) => (own && own !== 'TOTAL' ? [...groups, own].join('+') : breakdown);

    const areaCode = areas.at(-1)?.code ?? '';
    const cell = (column: string) => {
      const c = eesCell(get(column));
      if (!c) issue(column, CELL_EXPECTED);
      return c ?? { value: null, symbol: null };
    };
    const observations = map.indicators.map((i) => {
      const v = cell(i.column);
      return {
        indicatorCode: i.code,
        areaCode,
        periodCode,
        breakdown: breakdownOf(i.breakdown),
        numerator: i.numerator ? cell(i.numerator).value : null,
        denominator: i.denominator ? cell(i.denominator).value : null,
        value: v.value,
        symbol: v.symbol,
        source: map.source ?? null,
      };
    });
    return { periodCode, areas, breakdown, observations };
  });

  // One definition per code (a code fed by several breakdown columns is defined once).
  const definitions = map.indicators.filter(
    (i, n) => i.define && !known.has(i.code) && map.indicators.findIndex((j) => j.code === i.code && j.define) === n,
  );

  return {
    ...eesFormat,
    columns,
    row: row as unknown as z.ZodType<EesRow>,
    options: undefined,
    configure: undefined,
    keyColumns: [
      'time_period',
      'time_identifier',
      'geographic_level',
      'country_code',
      'region_code',
      'new_la_code',
      'lad_code',
      ...filterColumns,
    ].filter((c) => columns.some((col) => col.name === c)),
    // A row whose filter value the map sends to null is left out.
    skip: (cells) => filterColumns.some((f) => groupOf(f, cells[f]?.trim() ?? '') === null),
    async check(db, rows) {
      if (map.unknownAreas !== 'error') return [];
      const codes = [...new Set(rows.map((r) => r.row.areas.at(-1)?.code ?? ''))];
      const found = new Set(
        (
          await db.$queryRawUnsafe<{ code: string }[]>(
            'SELECT "code" FROM "Area" WHERE "code" = ANY($1::text::text[])',
            arrayLiteral(codes),
          )
        ).map((r) => r.code),
      );
      const errors: RowError[] = [];
      for (const { line, row } of rows) {
        const area = row.areas.at(-1);
        if (area && !found.has(area.code)) {
          errors.push({
            line,
            column:
              area.level === 'NATIONAL'
                ? 'country_code'
                : area.level === 'REGIONAL'
                  ? 'region_code'
                  : area.level === 'DISTRICT'
                    ? 'lad_code'
                    : 'new_la_code',
            value: area.code,
            message: `unknown area: no Area has code "${area.code}" (the map says unknownAreas: error; import it with core/areas first)`,
          });
        }
      }
      return errors;
    },
    async write(tx, rows) {
      const created: Record<string, number> = {};
      created.Period = await ensurePeriods(
        tx,
        rows.map((r) => r.periodCode),
      );
      if (definitions.length) created.Indicator = await createIndicators(tx, definitions, rows);
      if (map.unknownAreas === 'create') {
        const areas = new Map<string, EesArea>();
        for (const r of rows) for (const a of r.areas) if (!areas.has(a.code)) areas.set(a.code, a);
        created.Area = await bulkInsert(
          tx,
          'Area',
          [
            { name: 'code', type: 'text', get: (a: EesArea) => a.code },
            { name: 'name', type: 'text', get: (a) => a.name },
            { name: 'level', type: '"AreaLevel"', get: (a) => a.level },
            { name: 'parentCode', type: 'text', get: (a) => a.parentCode },
          ],
          [...areas.values()],
          { conflict: 'ON CONFLICT ("code") DO NOTHING' },
        );
      }
      const counts = await upsertRows(
        tx,
        OBSERVATION_TABLE,
        rows.flatMap((r) => r.observations),
      );
      return addCounts(counts, { inserted: 0, updated: 0, unchanged: 0, created });
    },
  };
}

async function createIndicators(
  tx: Prisma.TransactionClient,
  definitions: EesMap['indicators'],
  rows: EesRow[],
): Promise<number> {
  const periodType = rows[0] ? parsePeriod(rows[0].periodCode).type : 'ACADEMIC_YEAR';
  const r = await tx.indicator.createMany({
    data: definitions.map((i) => {
      const d = i.define!;
      return {
        code: i.code,
        name: d.name,
        description: d.description ?? `${d.name} (published; column ${i.column})`,
        service: d.service,
        unit: d.unit,
        polarity: d.polarity,
        decimalPlaces: d.decimalPlaces,
        periodType: d.periodType ?? periodType,
        amberTolerance: d.amberTolerance ?? null,
      };
    }),
    skipDuplicates: true,
  });
  return r.count;
}

const OBSERVATION_TABLE = {
  table: 'Observation',
  key: [
    { name: 'indicatorCode', type: 'text', get: (o: EesObservation) => o.indicatorCode },
    { name: 'areaCode', type: 'text', get: (o: EesObservation) => o.areaCode },
    { name: 'periodCode', type: 'text', get: (o: EesObservation) => o.periodCode },
    { name: 'breakdown', type: 'text', get: (o: EesObservation) => o.breakdown },
  ],
  values: [
    { name: 'numerator', type: 'float8', get: (o: EesObservation) => o.numerator },
    { name: 'denominator', type: 'float8', get: (o: EesObservation) => o.denominator },
    { name: 'value', type: 'float8', get: (o: EesObservation) => o.value },
    { name: 'symbol', type: 'text', get: (o: EesObservation) => o.symbol },
    { name: 'source', type: 'text', get: (o: EesObservation) => o.source },
  ],
};
