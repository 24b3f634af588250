// Record-level counting: ONE grouped SQL statement per indicator x period. It wraps a plugin's facts
// (person_id, district_code, numerator, denominator), joins Person and the academic-year
// PersonCharacteristic, and sums by district, by local authority (the sum over its districts) and by
// every breakdown group of both, with GROUPING SETS. The result covers every area of every LA at once, so
// asking for an LA and all its districts costs the same statement as asking for the LA alone.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { type PeriodInfo, parsePeriod, yearPeriodContaining } from '../period-codes.js';
import { cellKey, recordKeySql } from './cell-key.js';
import { DIMENSIONS, type Dimension, type IndicatorDefinition } from './types.js';

/** Sums over a set of fact rows. `people` counts distinct person_id (0 for non-person facts). */
export interface Counts {
  numerator: number;
  denominator: number;
  people: number;
  /**
   * Cell keys of the numerator and the denominator (cell-key.ts): Σ record key × the unit's numerator (or
   * denominator) modulo 65536, from the same statement. Absent only for cells with nothing counted.
   */
  numeratorKey?: number;
  denominatorKey?: number;
}

/** One area's sums: its total and, per person dimension, per group code (`FSM`, `NOT_FSM`, `UNKNOWN`…). */
export interface AreaCounts {
  total: Counts;
  groups: Map<Dimension, Map<string, Counts>>;
}

/** A local authority's table: its own sums (over its districts) and each district's. */
export interface LaTable {
  code: string;
  la: AreaCounts;
  districts: Map<string, AreaCounts>;
}

/** Everything one facts statement returned for an indicator x period. */
export interface PeriodFacts {
  indicatorCode: string;
  periodCode: string;
  /** Period whose PersonCharacteristic rows gave the breakdown groups. */
  characteristicsPeriod: string;
  /** The person dimensions grouped by (all of the indicator's, or the ones a request needed). */
  dimensions: PersonDimension[];
  tables: Map<string, LaTable>;
  laOfDistrict: Map<string, string>;
}

/** Person dimensions: every dimension but DISTRICT (which is the area axis itself). */
export type PersonDimension = Exclude<Dimension, 'DISTRICT'>;
export const PERSON_DIMENSIONS = DIMENSIONS.filter((d): d is PersonDimension => d !== 'DISTRICT');

/** Group codes of each person dimension, in display order (`UNKNOWN` = not recorded, always last). */
export const DIMENSION_GROUPS: Record<PersonDimension, readonly string[]> = {
  SEX: ['MALE', 'FEMALE', 'UNKNOWN'],
  FSM: ['FSM', 'NOT_FSM', 'UNKNOWN'],
  SEN_STATUS: ['NO_SEN', 'SEN_SUPPORT', 'EHCP', 'UNKNOWN'],
  IN_CARE: ['IN_CARE', 'NOT_IN_CARE', 'UNKNOWN'],
  EAL: ['EAL', 'NOT_EAL', 'UNKNOWN'],
  ETHNICITY_MAJOR: ['WHITE', 'MIXED', 'ASIAN', 'BLACK', 'CHINESE', 'OTHER', 'UNCLASSIFIED', 'UNKNOWN'],
};

/** Display labels of breakdown group codes (`label` of a GroupValue). */
export const GROUP_LABELS: Record<string, string> = {
  MALE: 'Male',
  FEMALE: 'Female',
  FSM: 'Eligible for free school meals',
  NOT_FSM: 'Not eligible for free school meals',
  NO_SEN: 'No identified SEN',
  SEN_SUPPORT: 'SEN support',
  EHCP: 'Education, health and care plan',
  ANY_SEN: 'Any SEN',
  IN_CARE: 'Looked after',
  NOT_IN_CARE: 'Not looked after',
  EAL: 'English as an additional language',
  NOT_EAL: 'English as a first language',
  WHITE: 'White',
  MIXED: 'Mixed',
  ASIAN: 'Asian',
  BLACK: 'Black',
  CHINESE: 'Chinese',
  OTHER: 'Any other ethnic group',
  UNCLASSIFIED: 'Unclassified',
  UNKNOWN: 'Not recorded',
};

// Each dimension as a text column of the joined facts; NULL characteristics become 'UNKNOWN' so a NULL in
// the result can only mean "not grouped by this column" in that grouping set.
const DIMENSION_SQL: Record<PersonDimension, { column: string; expression: string }> = {
  SEX: { column: 'g_sex', expression: `COALESCE(p.sex::text, 'UNKNOWN')` },
  FSM: {
    column: 'g_fsm',
    expression: `CASE WHEN pc.fsm THEN 'FSM' WHEN NOT pc.fsm THEN 'NOT_FSM' ELSE 'UNKNOWN' END`,
  },
  SEN_STATUS: {
    column: 'g_sen',
    expression: `CASE pc."senStatus"::text WHEN 'NONE' THEN 'NO_SEN' WHEN 'SEN_SUPPORT' THEN 'SEN_SUPPORT' WHEN 'EHCP' THEN 'EHCP' ELSE 'UNKNOWN' END`,
  },
  IN_CARE: {
    column: 'g_care',
    expression: `CASE WHEN pc."inCare" THEN 'IN_CARE' WHEN NOT pc."inCare" THEN 'NOT_IN_CARE' ELSE 'UNKNOWN' END`,
  },
  EAL: { column: 'g_eal', expression: `CASE WHEN pc.eal THEN 'EAL' WHEN NOT pc.eal THEN 'NOT_EAL' ELSE 'UNKNOWN' END` },
  ETHNICITY_MAJOR: { column: 'g_eth', expression: `COALESCE(p."ethnicityMajor"::text, 'UNKNOWN')` },
};

/** The person dimensions an indicator breaks down by (its `dimensions`, default all). */
export function personDimensions(def: Pick<IndicatorDefinition, 'dimensions'>): PersonDimension[] {
  const dims = def.dimensions ?? DIMENSIONS;
  return PERSON_DIMENSIONS.filter((d) => dims.includes(d));
}

/**
 * Characteristics are stored per academic year: an academic-year indicator uses its own year; any other
 * period uses the academic year containing the period's start.
 */
export function characteristicsPeriodFor(period: PeriodInfo): string {
  return period.type === 'ACADEMIC_YEAR' ? period.code : yearPeriodContaining(period.startDate, 'ACADEMIC_YEAR');
}

/**
 * The person dimensions a statement groups by: `ALL` = every dimension of the indicator (the whole table,
 * which disclosure control needs), or a subset; an empty list = totals only (LA and districts).
 */
export type FactsNeed = readonly PersonDimension[] | 'ALL';

/** The dimensions of `def` a need asks for, in display order. */
export function neededDimensions(
  def: Pick<IndicatorDefinition, 'dimensions'>,
  need: FactsNeed = 'ALL',
): PersonDimension[] {
  const dims = personDimensions(def);
  return need === 'ALL' ? dims : dims.filter((d) => need.includes(d));
}

const PERSON_COLUMNS: readonly PersonDimension[] = ['SEX', 'ETHNICITY_MAJOR'];

// Each person's record key, once per person row; the cell keys are its sums (disclosure control, cell-key.ts).
const RECORD_KEY = Prisma.raw(recordKeySql('x.person_id', 'x.district_code'));

/**
 * The one grouped statement for an indicator x period (exported for the benchmark and tests to inspect),
 * grouped by the dimensions `need` asks for: Person and PersonCharacteristic are joined only when a
 * dimension reads them (both are joined on their keys, so leaving them out changes no count).
 */
export function groupedFactsSql(def: IndicatorDefinition, period: PeriodInfo, need: FactsNeed = 'ALL'): Prisma.Sql {
  if (!def.facts) throw new Error(`Indicator ${def.code} has no record-level facts`);
  const dims = neededDimensions(def, need);
  const columns = dims.map((d) => DIMENSION_SQL[d]);
  // Prisma.join refuses an empty list: an indicator broken down by district only has no person columns.
  const derived = Prisma.raw(columns.map((c) => `, ${c.expression} AS ${c.column}`).join(''));
  const selected = Prisma.raw(columns.map((c) => `, ${c.column}`).join(''));
  const sets = [
    Prisma.raw('(la_code)'),
    Prisma.raw('(la_code, district_code)'),
    ...columns.flatMap((c) => [
      Prisma.raw(`(la_code, ${c.column})`),
      Prisma.raw(`(la_code, district_code, ${c.column})`),
    ]),
  ];
  const person = dims.some((d) => PERSON_COLUMNS.includes(d))
    ? Prisma.sql`LEFT JOIN "Person" p ON p.id = f.person_id::text`
    : Prisma.empty;
  const characteristics = dims.some((d) => !PERSON_COLUMNS.includes(d))
    ? Prisma.sql`LEFT JOIN "PersonCharacteristic" pc ON pc."personId" = f.person_id::text AND pc."periodCode" = ${characteristicsPeriodFor(period)}`
    : Prisma.empty;
  // Facts are first summed per person (and district): each person is then one row, so the grouping sets
  // count people with COUNT, which PostgreSQL can hash, instead of a COUNT(DISTINCT) that sorts every set.
  // (Facts put a person in one district per period, their home district, so no one is counted twice.)
  const groupBy = Prisma.raw(['1', '2', '3', ...columns.map((_, i) => String(i + 4))].join(', '));
  return Prisma.sql`WITH facts AS (${def.facts(period)}),
x AS (
  SELECT f.person_id::text AS person_id, d.code AS district_code, d."parentCode" AS la_code${derived},
         SUM(COALESCE(f.numerator, 0))::float8 AS n, SUM(COALESCE(f.denominator, 0))::float8 AS d
  FROM facts f
  JOIN "Area" d ON d.code = f.district_code::text AND d.level = 'DISTRICT'
  ${person}
  ${characteristics}
  GROUP BY ${groupBy}
)
SELECT la_code, district_code${selected},
       SUM(n)::float8 AS numerator, SUM(d)::float8 AS denominator, COUNT(person_id)::int AS people,
       SUM(rk * n)::float8 AS numerator_key, SUM(rk * d)::float8 AS denominator_key
FROM (SELECT x.*, ${RECORD_KEY} AS rk FROM x) x
GROUP BY GROUPING SETS (${Prisma.join(sets, ', ')})`;
}

type FactsRow = Record<string, string | number | null> & {
  la_code: string | null;
  district_code: string | null;
  numerator: number | null;
  denominator: number | null;
  people: number | null;
  numerator_key: number | null;
  denominator_key: number | null;
};

function emptyArea(): AreaCounts {
  return { total: { numerator: 0, denominator: 0, people: 0 }, groups: new Map() };
}

/** Folds the grouped rows into per-LA tables. Pure: exported for tests. */
export function foldFactsRows(rows: FactsRow[], dims: PersonDimension[]): Pick<PeriodFacts, 'tables' | 'laOfDistrict'> {
  const tables = new Map<string, LaTable>();
  const laOfDistrict = new Map<string, string>();
  for (const row of rows) {
    if (!row.la_code) continue; // a district without a local authority cannot be summed up to one
    let table = tables.get(row.la_code);
    if (!table) {
      table = { code: row.la_code, la: emptyArea(), districts: new Map() };
      tables.set(row.la_code, table);
    }
    let area = table.la;
    if (row.district_code) {
      laOfDistrict.set(row.district_code, row.la_code);
      area = table.districts.get(row.district_code) ?? emptyArea();
      table.districts.set(row.district_code, area);
    }
    const counts: Counts = {
      numerator: Number(row.numerator ?? 0),
      denominator: Number(row.denominator ?? 0),
      people: Number(row.people ?? 0),
      numeratorKey: cellKey(Number(row.numerator_key ?? 0)),
      denominatorKey: cellKey(Number(row.denominator_key ?? 0)),
    };
    const dim = dims.find((d) => row[DIMENSION_SQL[d].column] != null);
    if (!dim) {
      area.total = counts;
      continue;
    }
    let groups = area.groups.get(dim);
    if (!groups) {
      groups = new Map();
      area.groups.set(dim, groups);
    }
    groups.set(String(row[DIMENSION_SQL[dim].column]), counts);
  }
  return { tables, laOfDistrict };
}

/** Runs the one grouped statement for an indicator x period (every dimension unless `need` says fewer). */
export async function computeFacts(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  def: IndicatorDefinition,
  periodCode: string,
  need: FactsNeed = 'ALL',
): Promise<PeriodFacts> {
  const period = parsePeriod(periodCode);
  const dimensions = neededDimensions(def, need);
  const rows = await prisma.$queryRaw<FactsRow[]>(groupedFactsSql(def, period, dimensions));
  return {
    indicatorCode: def.code,
    periodCode: period.code,
    characteristicsPeriod: characteristicsPeriodFor(period),
    dimensions,
    ...foldFactsRows(rows, dimensions),
  };
}

/** SEN_SUPPORT + EHCP: the derived ANY_SEN group (the two are disjoint, so people add up too). */
export function anySen(area: AreaCounts): Counts | undefined {
  const sen = area.groups.get('SEN_STATUS');
  const support = sen?.get('SEN_SUPPORT');
  const ehcp = sen?.get('EHCP');
  if (!support && !ehcp) return undefined;
  const zero = { numerator: 0, denominator: 0, people: 0 };
  const a: Counts = support ?? zero;
  const b: Counts = ehcp ?? zero;
  return {
    numerator: a.numerator + b.numerator,
    denominator: a.denominator + b.denominator,
    people: a.people + b.people,
    // Disjoint groups: the union's cell key is the sum of theirs.
    numeratorKey: cellKey((a.numeratorKey ?? 0) + (b.numeratorKey ?? 0)),
    denominatorKey: cellKey((a.denominatorKey ?? 0) + (b.denominatorKey ?? 0)),
  };
}
