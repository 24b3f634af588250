// The floor: the figures of each benchmark operation computed by hand-written SQL (through `pg` on
// PostgreSQL, the raw driver on PGlite), with only the groups each operation shows and no GraphQL, no
// ORM, no dataloader. What to count for each indicator is the plugin's own facts/members SQL (the data
// definition), wrapped in hand-written aggregation, joins and look-ups; the arithmetic (value, RAG,
// direction, rank, gaps) is the engine's pure functions, which cost microseconds.

import { cohortCatalogue } from '../core/cohorts/catalogue.js';
import { type PeriodInfo, parsePeriod, previousPeriodCode, yearPeriodContaining } from '../core/period-codes.js';
import type { ServicePlugin } from '../core/plugin.js';
import { pluginIndicators } from '../core/reporting/catalogue.js';
import {
  directionOfTravel,
  mean,
  quartileOf,
  rankOf,
  significant,
  targetStatus,
  unitValue,
  wilsonInUnit,
} from '../core/reporting/engine.js';
import { type PersonDimension, personDimensions } from '../core/reporting/facts.js';
import { alignPeriod } from '../core/reporting/graphql/scorecard.js';
import type { IndicatorInfo } from '../core/reporting/indicator-types.js';
import { Prisma } from '../generated/prisma/client.js';
import { PARAMS } from './operations.js';

/** Runs one SQL statement with $1… parameters. */
export type Query = (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

const run = (q: Query, sql: Prisma.Sql) => q(sql.text, sql.values);

interface PeriodRow {
  code: string;
  type: string;
  identifier: string;
  label: string;
  startDate: Date;
  endDate: Date;
}

/** What the floor needs before the clock starts: the catalogue and the stored periods (both static). */
export interface FloorSetup {
  indicators: IndicatorInfo[];
  periods: PeriodRow[];
  services: ServicePlugin[];
}

export async function floorSetup(q: Query, services: ServicePlugin[]): Promise<FloorSetup> {
  const periods = (await q('SELECT code, type, identifier, label, "startDate", "endDate" FROM "Period"', [])).map(
    (r) => ({ ...r, startDate: new Date(r.startDate as string), endDate: new Date(r.endDate as string) }),
  ) as PeriodRow[];
  return { indicators: pluginIndicators(services), periods, services };
}

const characteristicsPeriod = (p: PeriodInfo) =>
  p.type === 'ACADEMIC_YEAR' ? p.code : yearPeriodContaining(p.startDate, 'ACADEMIC_YEAR');

/** Sums of an indicator's facts for one LA: total, FSM and SEN groups (and per district when asked). */
function scorecardFactsSql(
  def: IndicatorInfo,
  period: PeriodInfo,
  la: string,
  withGroups: boolean,
  byDistrict: boolean,
) {
  if (!def.facts) throw new Error(`${def.code} has no facts`);
  const sets = ['()'];
  if (withGroups) sets.push('(fsm)', '(sen)');
  if (byDistrict) sets.push('(dc)', ...(withGroups ? ['(dc, fsm)', '(dc, sen)'] : []));
  return Prisma.sql`
    WITH f AS (${def.facts(period)})
    SELECT ${Prisma.raw(byDistrict ? 'GROUPING(dc) AS gd, dc' : '1 AS gd, NULL AS dc')}, ${Prisma.raw(withGroups ? 'fsm, sen' : 'NULL AS fsm, NULL AS sen')},
           SUM(n)::float8 AS n, SUM(d)::float8 AS d, COUNT(DISTINCT pid)::int AS people
    FROM (
      SELECT f.person_id::text AS pid, f.district_code::text AS dc,
             COALESCE(f.numerator, 0)::float8 AS n, COALESCE(f.denominator, 0)::float8 AS d,
             CASE WHEN pc.fsm THEN 'FSM' WHEN NOT pc.fsm THEN 'NOT_FSM' ELSE 'UNKNOWN' END AS fsm,
             CASE WHEN pc."senStatus" IN ('SEN_SUPPORT', 'EHCP') THEN 'ANY_SEN' WHEN pc."senStatus" = 'NONE' THEN 'NO_SEN' ELSE 'UNKNOWN' END AS sen
      FROM f
      JOIN "Area" a ON a.code = f.district_code::text AND a.level = 'DISTRICT' AND a."parentCode" = ${la}
      LEFT JOIN "PersonCharacteristic" pc ON pc."personId" = f.person_id::text AND pc."periodCode" = ${characteristicsPeriod(period)}
    ) x
    GROUP BY GROUPING SETS (${Prisma.raw(sets.join(', '))})`;
}

interface Sums {
  n: number;
  d: number;
  people: number;
}

/** area code → group (`TOTAL`, `FSM`…) → sums, from the rows of scorecardFactsSql. */
function foldSums(rows: Record<string, unknown>[], la: string): Map<string, Map<string, Sums>> {
  const out = new Map<string, Map<string, Sums>>();
  for (const r of rows) {
    const area = Number(r.gd) === 1 ? la : (r.dc as string);
    const group = (r.fsm as string) ?? (r.sen as string) ?? 'TOTAL';
    if (r.fsm === null && r.sen === null && group !== 'TOTAL') continue;
    let m = out.get(area);
    if (!m) {
      m = new Map();
      out.set(area, m);
    }
    m.set(group, { n: Number(r.n), d: Number(r.d), people: Number(r.people) });
  }
  return out;
}

export interface ScorecardFigure {
  code: string;
  area: string;
  value: number | null;
  status: string;
  direction: string;
  national: number | null;
  neighbourAverage: number | null;
  rank: number | null;
  quartile: string | null;
  fsmGap: number | null;
  senGap: number | null;
}

/** Operations 1 and 2: the scorecard for the LA, or for each of `areas` (its districts). */
export async function floorScorecard(q: Query, s: FloorSetup, areas: string[], la = PARAMS.area) {
  const asked = parsePeriod(PARAMS.period);
  const askedRow = { ...asked, startDate: asked.startDate, endDate: asked.endDate };
  const byDistrict = !(areas.length === 1 && areas[0] === la);
  const rows = s.indicators.flatMap((indicator) => {
    // biome-ignore lint/suspicious/noExplicitAny: alignPeriod reads type, startDate and endDate only.
    const aligned = alignPeriod(askedRow as any, indicator, s.periods as any);
    return aligned ? [{ indicator, period: aligned.code, previous: previousPeriodCode(aligned.code) }] : [];
  });
  const keys = rows.flatMap((r) => [
    [r.indicator.code, r.period],
    [r.indicator.code, r.previous],
  ]);
  const [facts, observations, targets, neighbours, las] = await Promise.all([
    Promise.all(
      rows.map(async (r) => {
        if (!r.indicator.facts) return null;
        const [current, previous] = await Promise.all([
          run(q, scorecardFactsSql(r.indicator, parsePeriod(r.period), la, true, byDistrict)),
          s.periods.some((p) => p.code === r.previous)
            ? run(q, scorecardFactsSql(r.indicator, parsePeriod(r.previous), la, false, byDistrict))
            : Promise.resolve([]),
        ]);
        return { current: foldSums(current, la), previous: foldSums(previous, la) };
      }),
    ),
    q(
      `SELECT o."indicatorCode" AS i, o."periodCode" AS p, o."areaCode" AS a, o.breakdown AS b, o.value, o.numerator, o.denominator, o.symbol
       FROM "Observation" o JOIN unnest($1::text[], $2::text[]) AS k(i, p) ON o."indicatorCode" = k.i AND o."periodCode" = k.p`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    ),
    q(
      `SELECT t."indicatorCode" AS i, t."periodCode" AS p, t."areaCode" AS a, t.kind, t.value FROM "Target" t
       WHERE t."areaCode" = ANY($3) AND (t."indicatorCode", t."periodCode") IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [rows.map((r) => r.indicator.code), rows.map((r) => r.period), areas],
    ),
    q('SELECT "neighbourCode" AS c FROM "StatisticalNeighbour" WHERE "laCode" = $1 ORDER BY rank', [la]),
    q(`SELECT code FROM "Area" WHERE level = 'LOCAL_AUTHORITY'`, []),
  ]);
  const obs = new Map<string, Record<string, unknown>>();
  for (const o of observations) obs.set(`${o.i}|${o.p}|${o.a}|${o.b}`, o);
  const neighbourCodes = neighbours.map((n) => n.c as string);
  const laCodes = las.map((l) => l.code as string);
  const published = (code: string, p: string, area: string, group = 'TOTAL'): number | null => {
    const o = obs.get(`${code}|${p}|${area}|${group}`);
    if (!o || o.symbol) return null;
    return o.value === null ? null : Number(o.value);
  };
  const out: ScorecardFigure[] = [];
  rows.forEach((r, k) => {
    const def = r.indicator;
    const f = facts[k];
    for (const area of areas) {
      const cell = (which: 'current' | 'previous', group = 'TOTAL') => {
        if (!f) return null;
        const sums = f[which].get(area)?.get(group) ?? (group === 'TOTAL' ? { n: 0, d: 0, people: 0 } : undefined);
        return sums ? { ...sums, value: unitValue(def.unit, sums.n, sums.d) } : null;
      };
      const value = f ? (cell('current')?.value ?? null) : published(def.code, r.period, area);
      const previous = f ? (cell('previous')?.value ?? null) : published(def.code, r.previous, area);
      const target = targets.find((t) => t.i === def.code && t.a === area && t.kind === 'TARGET');
      const national = published(def.code, r.period, 'E92000001');
      const isLa = area === la;
      const others = isLa ? neighbourCodes.flatMap((c) => published(def.code, r.period, c) ?? []) : [];
      const allLas = isLa ? laCodes.filter((c) => c !== la).flatMap((c) => published(def.code, r.period, c) ?? []) : [];
      const gap = (g: string, c: string) => {
        const a = cell('current', g);
        const b = cell('current', c);
        if (!a || !b || a.value === null || b.value === null) return null;
        // The significance test is part of the figures shown.
        significant(wilsonInUnit(def.unit, a.n, a.d), wilsonInUnit(def.unit, b.n, b.d));
        return b.value - a.value;
      };
      out.push({
        code: def.code,
        area,
        value,
        status: targetStatus({
          value,
          target: target ? Number(target.value) : null,
          polarity: def.polarity,
          decimalPlaces: def.decimalPlaces,
          amberTolerance: def.amberTolerance,
        }),
        direction: directionOfTravel({
          current: value,
          previous,
          polarity: def.polarity,
          decimalPlaces: def.decimalPlaces,
        }).direction,
        national,
        neighbourAverage: isLa ? mean(others) : null,
        rank: isLa
          ? (rankOf(value, value === null ? others : [value, ...others], def.polarity, def.decimalPlaces)?.position ??
            null)
          : null,
        quartile: isLa
          ? quartileOf(value, value === null ? allLas : [value, ...allLas], def.polarity, def.decimalPlaces)
          : null,
        fsmGap: gap('FSM', 'NOT_FSM'),
        senGap: gap('ANY_SEN', 'NO_SEN'),
      });
    }
  });
  return out;
}

const PERSON_GROUPS: Record<string, string> = {
  sex: `p.sex::text`,
  fsm: `CASE WHEN pc.fsm THEN 'FSM' WHEN NOT pc.fsm THEN 'NOT_FSM' END`,
  sen: `CASE pc."senStatus"::text WHEN 'NONE' THEN 'NO_SEN' ELSE pc."senStatus"::text END`,
  care: `CASE WHEN pc."inCare" THEN 'IN_CARE' WHEN NOT pc."inCare" THEN 'NOT_IN_CARE' END`,
  eal: `CASE WHEN pc.eal THEN 'EAL' WHEN NOT pc.eal THEN 'NOT_EAL' END`,
  eth: `p."ethnicityMajor"::text`,
};

const DIMENSION_OF: Record<string, PersonDimension> = {
  sex: 'SEX',
  fsm: 'FSM',
  sen: 'SEN_STATUS',
  care: 'IN_CARE',
  eal: 'EAL',
  eth: 'ETHNICITY_MAJOR',
};

/** Operation 3: one service's indicators for the LA, with every breakdown (person groups and districts). */
export async function floorServiceBreakdowns(q: Query, s: FloorSetup, la = PARAMS.area) {
  const plugin = s.services.find((p) => p.slug === PARAMS.service || p.key === PARAMS.service);
  if (!plugin) throw new Error(`Service ${PARAMS.service} is not enabled`);
  const asked = parsePeriod(PARAMS.period);
  const out: { code: string; rows: number }[] = [];
  await Promise.all(
    s.indicators
      .filter((i) => (Object.values(PARAMS.serviceIndicators) as string[]).includes(i.code) && i.facts)
      .map(async (def) => {
        // biome-ignore lint/suspicious/noExplicitAny: alignPeriod reads type, startDate and endDate only.
        const aligned = alignPeriod(asked as any, def, s.periods as any);
        if (!aligned || !def.facts) return;
        const period = parsePeriod(aligned.code);
        const cols = Object.entries(PERSON_GROUPS).filter(([c]) => personDimensions(def).includes(DIMENSION_OF[c]));
        const sql = Prisma.sql`
          WITH f AS (${def.facts(period)})
          SELECT dc${Prisma.raw(cols.map(([c]) => `, ${c}`).join(''))},
                 SUM(n)::float8 AS n, SUM(d)::float8 AS d
          FROM (
            SELECT f.district_code::text AS dc, COALESCE(f.numerator, 0)::float8 AS n, COALESCE(f.denominator, 0)::float8 AS d,
                   1 AS one${Prisma.raw(cols.map(([c, e]) => `, ${e} AS ${c}`).join(''))}
            FROM f
            JOIN "Area" a ON a.code = f.district_code::text AND a.level = 'DISTRICT' AND a."parentCode" = ${la}
            LEFT JOIN "Person" p ON p.id = f.person_id::text
            LEFT JOIN "PersonCharacteristic" pc ON pc."personId" = f.person_id::text AND pc."periodCode" = ${characteristicsPeriod(period)}
          ) x
          GROUP BY GROUPING SETS ((), (dc)${Prisma.raw(cols.map(([c]) => `, (${c})`).join(''))})`;
        const rows = await run(q, sql);
        for (const r of rows) {
          const n = Number(r.n);
          const d = Number(r.d);
          unitValue(def.unit, n, d);
          wilsonInUnit(def.unit, n, d);
        }
        out.push({ code: def.code, rows: rows.length });
      }),
  );
  return out;
}

/** Operation 4: both cohorts' sizes, their overlap, and the first cohort by district, in one statement. */
export async function floorCohortOverlap(q: Query, s: FloorSetup, la = PARAMS.area) {
  const cohorts = cohortCatalogue(s.services);
  const a = cohorts.find((c) => c.key === PARAMS.cohort.key);
  const b = cohorts.find((c) => c.key === PARAMS.cohort.with);
  if (!a || !b) throw new Error(`Cohorts ${PARAMS.cohort.key} and ${PARAMS.cohort.with} must be enabled`);
  const sql = Prisma.sql`
    WITH a AS (SELECT DISTINCT s.person_id::text AS person_id FROM (${a.members(parsePeriod(PARAMS.cohort.period))}) s),
         b AS (SELECT DISTINCT s.person_id::text AS person_id FROM (${b.members(parsePeriod(PARAMS.cohort.withPeriod))}) s)
    SELECT GROUPING(p."districtCode") AS gd, p."districtCode" AS dc, d.name,
           (COUNT(*) FILTER (WHERE a.person_id IS NOT NULL))::int AS size_a,
           (COUNT(*) FILTER (WHERE b.person_id IS NOT NULL))::int AS size_b,
           (COUNT(*) FILTER (WHERE a.person_id IS NOT NULL AND b.person_id IS NOT NULL))::int AS both_
    FROM a FULL JOIN b ON a.person_id = b.person_id
    JOIN "Person" p ON p.id = COALESCE(a.person_id, b.person_id)
    JOIN "Area" d ON d.code = p."districtCode" AND d.level = 'DISTRICT' AND d."parentCode" = ${la}
    GROUP BY GROUPING SETS ((), (p."districtCode", d.name))`;
  const rows = await run(q, sql);
  const total = rows.find((r) => Number(r.gd) === 1);
  const sizeA = Number(total?.size_a ?? 0);
  const sizeB = Number(total?.size_b ?? 0);
  const both = Number(total?.both_ ?? 0);
  return {
    size: sizeA,
    overlap: both,
    shareOfThis: sizeA ? (100 * both) / sizeA : null,
    shareOfOther: sizeB ? (100 * both) / sizeB : null,
    districts: rows.filter((r) => Number(r.gd) === 0).length,
  };
}

/** Operation 5: the first 100 EYFS results of the year in the LA (with the total), then the next 100. */
export async function floorRecordsPage(q: Query, _s: FloorSetup, la = PARAMS.area) {
  const page = (after: [string, string] | null) =>
    q(
      `SELECT e."personId", e.gld, e."totalPoints", e."periodCode", p."districtCode", a.name AS "districtName"
       FROM "EyfsResult" e JOIN "Person" p ON p.id = e."personId" JOIN "Area" a ON a.code = p."districtCode"
       WHERE e."periodCode" = $1 AND a."parentCode" = $2
         AND ($3::text IS NULL OR (e."periodCode", e."personId") > ($3::text, $4::text))
       ORDER BY e."periodCode", e."personId" LIMIT 101`,
      [PARAMS.recordsPeriod, la, after?.[0] ?? null, after?.[1] ?? null],
    );
  const count = () =>
    q(
      `SELECT COUNT(*)::int AS n FROM "EyfsResult" e JOIN "Person" p ON p.id = e."personId" JOIN "Area" a ON a.code = p."districtCode"
       WHERE e."periodCode" = $1 AND a."parentCode" = $2`,
      [PARAMS.recordsPeriod, la],
    );
  const [first, total] = await Promise.all([page(null), count()]);
  const last = first[99];
  const [second] = await Promise.all([
    last ? page([last.periodCode as string, last.personId as string]) : Promise.resolve([]),
    count(),
  ]);
  return { total: Number(total[0].n), first: first.slice(0, 100), second: second.slice(0, 100) };
}
