// The service plugin contract (DESIGN.md "The service plugin contract"). A plugin never imports another
// plugin; it refers to other types by name. Adding a service = one folder + one .prisma file + one line
// in services/index.ts.
import type { Builder } from '../builder.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { FieldAccess } from './access/field-access.js';
import type { ImportFormat } from './ingest/types.js';
import type { PeriodType } from './period-codes.js';
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

/**
 * A record list whose `totalCount` is kept stored, so counting a year's records does not grow with the
 * store: the number of its records by period, home district and each filter column, counted ahead of
 * requests with the materialised figures and used while none of `tables` has been written since.
 */
export interface StoredCountDefinition {
  /** `<pluginKey>.<list>`, e.g. `earlyYears.eyfsResults`. */
  key: string;
  /** Tables `sql` reads (Prisma model names); Person and the engine's tables are added. */
  tables: string[];
  /**
   * One row per group: `period_code`, `district_code` (the person's home district, null without one),
   * one column per entry of `filters` (text, boolean or null), and `n`, the number of records.
   */
  sql: Prisma.Sql;
  /** The filter columns of `sql`, named as the list's arguments are. */
  filters: string[];
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
  /** Record lists whose `totalCount` is stored (countRecords in src/core/records.ts). */
  storedCounts?: StoredCountDefinition[];
  // biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
  importers: ImportFormat<any>[];
  /**
   * Deterministic demo data at `scale` (1 = a Kent-sized directorate; the demo is smaller), written
   * inside the seed's one transaction after the core people exist.
   */
  seed?(db: Prisma.TransactionClient, rng: Rng, scale: number): Promise<void>;
  /**
   * Who may read each field the plugin adds, its own types' and those it adds to shared types (`Query.send`,
   * `Area.send`): `services/<slug>/access.ts`. A statement of intent that test/access/matrix.test.ts checks
   * the schema against, run as every role; nothing in src/ reads it (the Pothos scopes enforce access).
   * Without it, every field the plugin adds is undeclared and that test fails.
   */
  fieldAccess?: FieldAccess;
  /**
   * The plugin's operations folder (`path.join(import.meta.dirname, 'operations')`): `partners/*.graphql`,
   * persisted operations partners may run (src/core/access/operations.ts), and `examples/*.graphql`,
   * GraphiQL tabs. Served, with core's in schema/operations/, while the plugin is enabled.
   */
  operations?: string;
}
