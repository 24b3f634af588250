// The service plugin contract (DESIGN.md "The service plugin contract"). A plugin never imports another
// plugin; it refers to other types by name. Adding a service = one folder + one .prisma file + one line
// in services/index.ts.
import type { Builder } from '../builder.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { ImportFormat } from './ingest/types.js';
import type { PeriodType } from './periods.js';
import type { FactsQuery, IndicatorDefinition } from './reporting/types.js';

/** A named set of people in a period, for cross-service analysis (`send.withEhcp`, `skills.neet`). */
export interface CohortDefinition {
  /** `<pluginKey>.<name>`, e.g. `youthJustice.firstTimeEntrants`. */
  key: string;
  title: string;
  periodType: PeriodType;
  /** SQL returning one column `person_id` (distinct people in the cohort) for the period. */
  members: FactsQuery;
  /**
   * Tables (Prisma model names) `members` reads. The stored membership and figures of the cohort are used
   * only while none of these (nor Area, Person, PersonCharacteristic, Period) has been written since they
   * were computed. Undeclared: any write anywhere makes them stale.
   */
  tables?: string[];
}

/** Deterministic pseudo-random numbers for seeds (same seed, same data). */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export interface ServicePlugin {
  /** GraphQL field name on Area, cohort key prefix, scope name: `earlyYears`. */
  key: string;
  /** Folder name and CYPE_SERVICES entry: `early-years`. */
  slug: string;
  title: string;
  /** Defines the plugin's types and extends shared ones (Area, Query) by name. */
  register(builder: Builder): void;
  indicators: IndicatorDefinition[];
  cohorts: CohortDefinition[];
  // biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
  importers: ImportFormat<any>[];
  /**
   * Deterministic demo data at `scale` (1 = a Kent-sized directorate; the demo is smaller), written
   * inside the seed's one transaction after the core people exist.
   */
  seed?(db: Prisma.TransactionClient, rng: Rng, scale: number): Promise<void>;
}
