// The indicator contract between service plugins and the reporting engine. A plugin only says how to
// count; the engine (src/core/reporting) turns counts into values, intervals, gaps, RAG, trends,
// benchmarks and disclosure control. DESIGN.md "Reporting semantics" is the specification.
import type { Prisma } from '../../generated/prisma/client.js';
import type { PeriodInfo, PeriodType } from '../period-codes.js';

export const UNITS = ['PERCENT', 'COUNT', 'RATE_PER_10K', 'RATE_PER_100K', 'SCORE', 'AVERAGE_POINTS'] as const;
export type Unit = (typeof UNITS)[number];

export const POLARITIES = ['HIGH_IS_GOOD', 'LOW_IS_GOOD', 'NO_JUDGEMENT'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const DIMENSIONS = ['SEX', 'FSM', 'SEN_STATUS', 'IN_CARE', 'EAL', 'ETHNICITY_MAJOR', 'DISTRICT'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The equality groups a gap can be asked for (GraphQL enum `Group`). */
export const GROUPS = [
  'MALE',
  'FEMALE',
  'FSM',
  'NOT_FSM',
  'ANY_SEN',
  'NO_SEN',
  'SEN_SUPPORT',
  'EHCP',
  'IN_CARE',
  'NOT_IN_CARE',
  'EAL',
  'NOT_EAL',
] as const;
export type Group = (typeof GROUPS)[number];

/**
 * EES symbols for a figure that is not a number: `c` confidential (suppressed), `x` unavailable,
 * `z` not applicable, `low` rounds to zero (legacy `k` is read as `low`), `u` low reliability.
 */
export const EES_SYMBOLS = ['c', 'x', 'z', 'low', 'u'] as const;
export type EesSymbol = (typeof EES_SYMBOLS)[number];

/**
 * Person-level facts for one period, as SQL: the engine groups them by district, local authority and
 * every breakdown dimension in ONE statement (GROUPING SETS), joining Person and PersonCharacteristic
 * itself (characteristics of the academic year containing the period's start). One row per counted unit.
 * Columns:
 * - `person_id` (text; NULL for facts that are not about a person, such as settings: these fall in the
 *   `UNKNOWN` group of every person dimension),
 * - `district_code` (text: ONS code of a DISTRICT area; rows without a known district are not counted,
 *   because a local authority's figure is the sum over its districts),
 * - `numerator` (numeric) and `denominator` (numeric), by unit:
 *   PERCENT: 1/0 whether the unit meets the definition, and 1 if it is in the population (value 100·n/d);
 *   RATE_PER_10K / RATE_PER_100K: events, and population (value 10,000·n/d or 100,000·n/d);
 *   COUNT: the count (usually 1 per row); denominator is ignored (write 1);
 *   SCORE / AVERAGE_POINTS: the unit's points, and 1 (value = mean points = Σn/Σd).
 */
export type FactsQuery = (period: PeriodInfo) => Prisma.Sql;

export interface IndicatorDefinition {
  /** Stable code, SCREAMING_CASE, unique across every plugin (`EY_GLD`, `YJ_FTE_RATE`). */
  code: string;
  name: string;
  description: string;
  unit: Unit;
  polarity: Polarity;
  /** Decimal places shown in `formatted`; also the precision at which "no change" and ties are judged. */
  decimalPlaces: number;
  periodType: PeriodType;
  /** Fraction of the target within which a miss is AMBER (default 0.05 = 5%). */
  amberTolerance?: number;
  /** Record-level source. Absent: the indicator is served from published Observations only. */
  facts?: FactsQuery;
  /** Dimensions a breakdown is meaningful for (default: all of DIMENSIONS). */
  dimensions?: Dimension[];
  /**
   * Tables (Prisma model names, as import formats' `tables`) the facts SQL reads. Cached results of the
   * indicator are recomputed after an import writes one of them (src/core/reporting/cache.ts). The engine
   * adds the tables it joins itself (Area, Person, PersonCharacteristic, Period); list everything else the
   * SQL reads, Observation included. Absent: recomputed after ANY import (safe, less cached).
   */
  tables?: string[];
}
