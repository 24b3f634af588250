// Deterministic core demo data: the geography, periods 2012 to 2018, and synthetic pseudonymised
// people with their yearly characteristics. Calibrated to Kent's published proportions (seeds/).

import type { Tx } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';
import { type BulkColumn, bulkInsert } from './bulk.js';
import { DISTRICT_WEIGHTS, ENGLAND, KENT, KENT_DISTRICTS, NEIGHBOURS, REGIONS, SOUTH_EAST } from './demo-areas.js';
import { parsePeriod, periodCode } from './period-codes.js';
import type { Rng } from './plugin.js';
import { weighted } from './rng.js';

/** People per unit of scale: scale 1 is a Kent-sized directorate (about 300,000 children and young people). */
export const PEOPLE_AT_SCALE_1 = 300_000;
export const FIRST_YEAR = 2012;
export const LAST_YEAR = 2018;

/** All demo periods: academic, financial and calendar years, financial quarters and months, 2012 to 2018. */
export function demoPeriodCodes(): string[] {
  const codes: string[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    codes.push(periodCode('AY', y), periodCode('FY', y), periodCode('CY', y));
    for (let q = 1; q <= 4; q++) codes.push(periodCode(`FYQ${q}`, y));
    for (let m = 1; m <= 12; m++) codes.push(periodCode(`M${m}`, y));
  }
  return codes;
}

export function periodRow(code: string): Prisma.PeriodCreateManyInput {
  const p = parsePeriod(code);
  return {
    code: p.code,
    identifier: p.identifier,
    type: p.type,
    label: p.label,
    startDate: p.startDate,
    endDate: p.endDate,
  };
}

export async function seedGeography(tx: Tx) {
  await tx.area.createMany({
    data: [
      { code: ENGLAND, name: 'England', level: 'NATIONAL' },
      ...REGIONS.map((r) => ({ ...r, level: 'REGIONAL' as const, parentCode: ENGLAND })),
      { code: KENT, name: 'Kent', level: 'LOCAL_AUTHORITY', parentCode: SOUTH_EAST },
      ...NEIGHBOURS.map((n) => ({
        code: n.code,
        name: n.name,
        level: 'LOCAL_AUTHORITY' as const,
        parentCode: n.region,
      })),
      ...KENT_DISTRICTS.map((d) => ({ ...d, level: 'DISTRICT' as const, parentCode: KENT })),
    ],
    skipDuplicates: true,
  });
  await tx.statisticalNeighbour.createMany({
    data: NEIGHBOURS.map((n, i) => ({ laCode: KENT, neighbourCode: n.code, rank: i + 1 })),
    skipDuplicates: true,
  });
  await tx.period.createMany({ data: demoPeriodCodes().map(periodRow), skipDuplicates: true });
}

/** Shares of the major ethnic groups among the demo's children (Kent's school census). */
export const ETHNICITY = {
  WHITE: 0.82,
  MIXED: 0.04,
  ASIAN: 0.07,
  BLACK: 0.035,
  CHINESE: 0.005,
  OTHER: 0.02,
  UNCLASSIFIED: 0.01,
};

/** Synthetic people (ids `P0000001`…) born 1998–2017 with characteristics for each academic year 2012/13–2017/18. */
export async function seedPeople(tx: Tx, rng: Rng, scale: number) {
  const count = Math.round(PEOPLE_AT_SCALE_1 * scale);
  let people: Prisma.PersonCreateManyInput[] = [];
  let characteristics: Prisma.PersonCharacteristicCreateManyInput[] = [];
  const written = { people: 0, characteristics: 0 };
  // Written in chunks, so a benchmark-scale directorate (millions of rows) never sits in memory at once.
  const flush = async () => {
    written.people += await bulkInsert(tx, 'Person', PERSON_COLUMNS, people);
    written.characteristics += await bulkInsert(tx, 'PersonCharacteristic', CHARACTERISTIC_COLUMNS, characteristics);
    people = [];
    characteristics = [];
  };
  const districtWeights = DISTRICT_WEIGHTS as Record<string, number>;
  for (let i = 0; i < count; i++) {
    if (people.length >= PEOPLE_PER_WRITE) await flush();
    const id = `P${String(i + 1).padStart(7, '0')}`;
    const birthYear = 1998 + Math.floor(rng.next() * 20);
    const birthMonth = new Date(Date.UTC(birthYear, rng.int(0, 11), 1));
    const districtCode = weighted(rng, districtWeights);
    const sex = rng.chance(0.49) ? 'FEMALE' : rng.chance(0.995) ? 'MALE' : 'UNKNOWN';
    people.push({ id, birthMonth, sex, ethnicityMajor: weighted(rng, ETHNICITY), districtCode });
    // Stable propensities, so a child's characteristics mostly persist from year to year.
    const deprivation = rng.next();
    const need = rng.next();
    const fsmBase = deprivation < 0.14;
    const eal = rng.chance(0.11);
    const inCareBase = deprivation < 0.012 && rng.chance(0.6);
    for (let y = FIRST_YEAR; y < LAST_YEAR; y++) {
      const age = y - birthYear;
      if (age < 2 || age > 19) continue;
      const senStatus = need < 0.028 ? 'EHCP' : need < 0.028 + 0.115 ? 'SEN_SUPPORT' : 'NONE';
      characteristics.push({
        personId: id,
        periodCode: periodCode('AY', y),
        fsm: rng.chance(0.9) ? fsmBase : !fsmBase,
        senStatus: age < 4 && senStatus === 'SEN_SUPPORT' ? 'NONE' : senStatus,
        inCare: inCareBase && rng.chance(0.8),
        eal,
      });
    }
  }
  await flush();
  return written;
}

/** People generated between two writes of seedPeople. */
const PEOPLE_PER_WRITE = 50_000;

// ---- Reading the people back, a page at a time --------------------------------------------------------

/** A person's characteristics in one academic year. */
export interface YearCharacteristics {
  fsm: boolean;
  senStatus: 'NONE' | 'SEN_SUPPORT' | 'EHCP';
  inCare: boolean;
  eal: boolean;
}

/** A stored person as the plugins' seeds read them. */
export interface StoredPerson {
  id: string;
  birthMonth: Date;
  sex: string;
  ethnicityMajor: string;
  districtCode: string | null;
  /** Characteristics by academic year (its first calendar year), in year order. */
  characteristics: Map<number, YearCharacteristics>;
}

/**
 * People per page when the plugins' seeds read the people back: a benchmark-scale directorate (millions of
 * people) is generated a page at a time, while the demo (about 18,000 people) is a single page. Tests set
 * smaller pages to generate a small directorate the way a large one is.
 */
export const seedPaging = { peoplePerPage: 50_000 };

const SEN_CODES: Record<string, YearCharacteristics['senStatus']> = { N: 'NONE', S: 'SEN_SUPPORT', E: 'EHCP' };

/**
 * The stored people matching `where` (SQL over `p`, the Person row), in id order, a page at a time (keyset
 * on id, so each page is an index range whatever the scale), with their characteristics: every academic
 * year's, only `year`'s, or none (`characteristics: false`). A `where` that joins another table by person
 * (EXISTS …) can be a function of the page's lower bound, to bound that table's scan by id too.
 * Characteristics travel as one fixed-width text per person (`YYYY`, then FSM, in care and EAL as 0 or 1,
 * then the SEN status's initial), not as a row per person and year.
 */
export async function* peoplePages(
  tx: Pick<Tx, '$queryRaw'>,
  {
    where = Prisma.sql`TRUE`,
    year,
    characteristics = true,
    pageSize = seedPaging.peoplePerPage,
  }: {
    where?: Prisma.Sql | ((after: string) => Prisma.Sql);
    year?: number;
    characteristics?: boolean;
    pageSize?: number;
  } = {},
): AsyncGenerator<StoredPerson[]> {
  const inYear = year === undefined ? Prisma.empty : Prisma.sql`AND pc."periodCode" = ${periodCode('AY', year)}`;
  const chars = characteristics
    ? Prisma.sql`(
        SELECT string_agg(left(pc."periodCode", 4) || pc.fsm::int::text || pc."inCare"::int::text
                          || pc.eal::int::text || left(pc."senStatus"::text, 1), '' ORDER BY pc."periodCode")
        FROM "PersonCharacteristic" pc WHERE pc."personId" = page.id ${inYear})`
    : Prisma.sql`NULL::text`;
  let after = '';
  for (;;) {
    const rows = await tx.$queryRaw<
      {
        id: string;
        birthMonth: Date | string;
        sex: string;
        ethnicityMajor: string;
        districtCode: string | null;
        chars: string | null;
      }[]
    >`
      SELECT page.*, ${chars} AS chars
      FROM (
        SELECT p.id, p."birthMonth", p.sex::text AS sex, p."ethnicityMajor"::text AS "ethnicityMajor", p."districtCode"
        FROM "Person" p
        WHERE p.id > ${after} AND (${typeof where === 'function' ? where(after) : where})
        ORDER BY p.id
        LIMIT ${pageSize}
      ) page
      ORDER BY page.id`;
    if (!rows.length) return;
    yield rows.map((r) => {
      const characteristics = new Map<number, YearCharacteristics>();
      const c = r.chars ?? '';
      for (let i = 0; i + 8 <= c.length; i += 8) {
        characteristics.set(Number(c.slice(i, i + 4)), {
          fsm: c[i + 4] === '1',
          inCare: c[i + 5] === '1',
          eal: c[i + 6] === '1',
          senStatus: SEN_CODES[c[i + 7]],
        });
      }
      return {
        id: r.id,
        birthMonth: new Date(r.birthMonth),
        sex: r.sex,
        ethnicityMajor: r.ethnicityMajor,
        districtCode: r.districtCode,
        characteristics,
      };
    });
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

export const PERSON_COLUMNS: BulkColumn<Prisma.PersonCreateManyInput>[] = [
  { name: 'id', type: 'text', get: (r) => r.id },
  { name: 'birthMonth', type: 'date', get: (r) => r.birthMonth },
  { name: 'sex', type: '"Sex"', get: (r) => r.sex },
  { name: 'ethnicityMajor', type: '"EthnicityMajor"', get: (r) => r.ethnicityMajor },
  { name: 'ethnicityMinor', type: 'text', get: (r) => r.ethnicityMinor },
  { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
];

export const CHARACTERISTIC_COLUMNS: BulkColumn<Prisma.PersonCharacteristicCreateManyInput>[] = [
  { name: 'personId', type: 'text', get: (r) => r.personId },
  { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  { name: 'fsm', type: 'bool', get: (r) => r.fsm },
  { name: 'senStatus', type: '"SenStatus"', get: (r) => r.senStatus },
  { name: 'inCare', type: 'bool', get: (r) => r.inCare },
  { name: 'eal', type: 'bool', get: (r) => r.eal },
];
