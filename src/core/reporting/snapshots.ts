// Materialised facts: an indicator's whole grouped table for a period (every LA, district and breakdown
// group), computed ahead of requests (`cype materialise`, the end of a seed or of `cype generate`, after an
// import) and read in place of the grouped statement while it is fresh. Freshness is exact, not a TTL: a
// statement-level trigger raises a per-table counter ("TableVersion") in every transaction that writes a
// table, whoever writes it; a snapshot records the counters of the tables it read, computed in the same
// REPEATABLE READ transaction as the facts, and is used only while they are all unchanged (and while the
// statement that computed it is the one this release would run). A stale snapshot is never read: the
// figures are then computed live, as without snapshots.
//
// Cohorts are stored the same way (indicator code `COHORT:<key>`): their sizes and breakdowns as facts,
// and their membership (members.ts), from which an overlap of two cohorts is counted without a statement.
// So are the list totals plugins declare (`storedCounts`: code `COUNT:<key>`, every period in one row).
import type { Context } from '../../context.js';
import type { Database } from '../../db.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { type CohortInfo, cohortCatalogue } from '../cohorts/catalogue.js';
import { decodeMembers, encodeMembers, type Members, membersFrom } from '../cohorts/members.js';
import { cohortIndicatorOf, membersSql } from '../cohorts/sql.js';
import { parsePeriod } from '../period-codes.js';
import type { ServicePlugin, StoredCountDefinition } from '../plugin.js';
import { decode, ENGINE_TABLES, encode, factsTables, factsVariant, statementDigest, type TableSet } from './cache.js';
import { pluginIndicators } from './catalogue.js';
import { computeFacts, type PeriodFacts } from './facts.js';
import type { IndicatorInfo } from './indicator-types.js';
import type { IndicatorDefinition } from './types.js';

type Query = Pick<PrismaClient, '$queryRaw'>;

/** Snapshots are read and refreshed unless CYPE_SNAPSHOTS=off (the benchmark measures live figures so). */
export const snapshotsEnabled = (env: Record<string, string | undefined> = process.env) => env.CYPE_SNAPSHOTS !== 'off';

/** Every table's write counter, as text (BIGINT). */
export async function readTableVersions(prisma: Query): Promise<Map<string, string>> {
  const rows = await prisma.$queryRaw<{ table: string; version: string }[]>`
    SELECT "table", "version"::text AS version FROM "TableVersion"`;
  return new Map(rows.map((r) => [r.table, r.version]));
}

/** The counters of `tables` (`ALL`: of every table) as `table=version,…` in name order; absent = 0. */
export function versionStamp(tables: TableSet, versions: ReadonlyMap<string, string>): string {
  const names = tables === 'ALL' ? [...versions.keys()] : [...new Set(tables)];
  return names
    .sort()
    .map((t) => `${t}=${versions.get(t) ?? '0'}`)
    .join(',');
}

const membersVariants = new WeakMap<CohortInfo, Map<string, string>>();
/**
 * What a stored row must have been computed by: the digest of the facts statement, and for a cohort also
 * of its members statement. A release that changes either never reads the row.
 */
export function storedVariant(def: IndicatorInfo, periodCode: string, cohort?: CohortInfo): string {
  const facts = factsVariant(def, periodCode, 'ALL');
  if (!cohort) return facts;
  let byPeriod = membersVariants.get(cohort);
  if (!byPeriod) {
    byPeriod = new Map();
    membersVariants.set(cohort, byPeriod);
  }
  let members = byPeriod.get(periodCode);
  if (members === undefined) {
    try {
      members = statementDigest(membersSql(cohort, parsePeriod(periodCode)));
    } catch {
      members = '';
    }
    byPeriod.set(periodCode, members);
  }
  return `${facts}+${members}`;
}

/** A stored row asked for: its code and period, the statement it must come from, the tables it read. */
export interface SnapshotAsk {
  /** The caller's key for the answer. */
  key: string;
  /** FactsSnapshot.indicatorCode: an indicator's code, `COHORT:<key>`, `COUNT:<key>`. */
  code: string;
  periodCode: string;
  variant: string;
  tables: TableSet;
}

/** The ask for an indicator's (or a cohort's, then `def` is its cohort indicator) stored figures. */
export function askFor(key: string, def: IndicatorInfo, periodCode: string, cohort?: CohortInfo): SnapshotAsk {
  return { key, code: def.code, periodCode, variant: storedVariant(def, periodCode, cohort), tables: factsTables(def) };
}

async function freshRows<T>(
  prisma: Query,
  asked: SnapshotAsk[],
  versions: ReadonlyMap<string, string>,
  column: 'payload' | 'members',
  read: (value: unknown) => T,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (!asked.length) return out;
  const rows = await prisma.$queryRaw<
    { indicatorCode: string; periodCode: string; variant: string; versions: string; value: unknown }[]
  >`
    SELECT s."indicatorCode", s."periodCode", s.variant, s.versions,
           ${column === 'payload' ? Prisma.sql`s.payload` : Prisma.sql`s.members`} AS value
    FROM "FactsSnapshot" s
    JOIN unnest(${asked.map((a) => a.code)}::text[], ${asked.map((a) => a.periodCode)}::text[]) AS k(i, p)
      ON s."indicatorCode" = k.i AND s."periodCode" = k.p`;
  const byKey = new Map(rows.map((r) => [`${r.indicatorCode}|${r.periodCode}`, r]));
  for (const a of asked) {
    const row = byKey.get(`${a.code}|${a.periodCode}`);
    if (!row || row.value === null) continue;
    if (row.variant !== a.variant) continue;
    if (row.versions !== versionStamp(a.tables, versions)) continue;
    out.set(a.key, read(row.value));
  }
  return out;
}

/**
 * The fresh stored payloads (facts of an indicator or cohort, counts of a list) of the asked rows, by the
 * asked keys: one statement for all. `versions` are the counters read for this request.
 */
export function freshSnapshots<T = PeriodFacts>(
  prisma: Query,
  asked: SnapshotAsk[],
  versions: ReadonlyMap<string, string>,
): Promise<Map<string, T>> {
  return freshRows(prisma, asked, versions, 'payload', (text) => decode<T>(text as string));
}

/** The fresh stored memberships of the asked cohort x period rows, by the asked keys: one statement. */
export function freshMembers(
  prisma: Query,
  asked: SnapshotAsk[],
  versions: ReadonlyMap<string, string>,
): Promise<Map<string, Members>> {
  return freshRows(prisma, asked, versions, 'members', (bytes) => decodeMembers(bytes as Uint8Array));
}

/** Bookkeeping tables, which carry no write counter (cype_version_tables(), run by every deploy, skips them). */
export const UNCOUNTED = ['TableVersion', 'FactsSnapshot', '_prisma_migrations', 'AuditLog', 'ApiKey', 'Import'];

export interface MaterialiseOptions {
  /** Only indicators reading one of these tables (default: every record-level indicator). */
  tables?: TableSet;
  /** Statements at a time (default 2 on PostgreSQL, 1 on PGlite, which has one connection). */
  concurrency?: number;
  log?: (message: string) => void;
}

export interface MaterialiseReport {
  snapshots: number;
  /** Not stored because the transaction failed (e.g. another process storing the same snapshot). */
  failed: number;
  milliseconds: number;
}

/** One line for the CLI: how many tables were stored, in how long, and how many were not. */
export function describeMaterialised(report: Pick<MaterialiseReport, 'snapshots' | 'failed' | 'milliseconds'>) {
  return (
    `Materialised ${report.snapshots} tables (indicators and cohorts by period, list totals) in ` +
    `${(report.milliseconds / 1000).toFixed(1)} s${report.failed ? ` (${report.failed} not stored)` : '.'}`
  );
}

const overlaps = (own: TableSet, tables: TableSet | undefined) =>
  !tables || tables === 'ALL' || own === 'ALL' || own.some((t) => tables.includes(t));

/** The tables a stored list count reads: its declared tables and the engine's (Person among them). */
const countTables = (def: StoredCountDefinition): TableSet => [...def.tables, ...ENGINE_TABLES];
/** FactsSnapshot.periodCode of a stored list count (it holds every period). */
const EVERY_PERIOD = '*';

/** The ask for a list's stored counts. */
export function askForCount(key: string, def: StoredCountDefinition): SnapshotAsk {
  return {
    key,
    code: `COUNT:${def.key}`,
    periodCode: EVERY_PERIOD,
    variant: statementDigest(def.sql),
    tables: countTables(def),
  };
}

/** A stored list count: [period, district, ...filter values, n] per group. */
export type CountRow = (string | boolean | number | null)[];

/** One row to store: what it is, the tables it reads, and how to compute it in a transaction. */
interface Job {
  code: string;
  periodCode: string;
  tables: TableSet;
  variant: () => string;
  compute: (tx: Prisma.TransactionClient) => Promise<{ payload: string; members: Uint8Array<ArrayBuffer> | null }>;
}

/**
 * Computes and stores the snapshot of every record-level indicator, every cohort and every stored list
 * count (reading `tables`, when given) for every stored period of its type.
 */
export async function materialiseFacts(
  db: Database,
  services: ServicePlugin[],
  options: MaterialiseOptions = {},
): Promise<MaterialiseReport> {
  const started = performance.now();
  // Only tables whose writes are counted can vouch for a snapshot: an indicator reading a table without
  // the trigger (a table created outside the migration driver's deploy, which puts it on every new table:
  // finishDeploy in src/migrate.ts) is never materialised.
  const tables = await db.prisma.$queryRaw<{ name: string; counted: boolean }[]>`
    SELECT c.relname AS name,
           EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'cype_table_version') AS counted
    FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = current_schema()
    WHERE c.relkind IN ('r', 'p')`;
  const counted = new Set(tables.filter((t) => t.counted).map((t) => t.name));
  // Undeclared tables (`ALL`): every data table must be counted.
  const everyData = tables.map((t) => t.name).filter((t) => !UNCOUNTED.includes(t));
  const uncounted = (own: TableSet) => (own === 'ALL' ? everyData : own).filter((t) => !counted.has(t));
  const periods = await db.prisma.period.findMany({ select: { code: true, type: true } });
  const perPeriod = (def: IndicatorInfo, cohort?: CohortInfo): Job[] =>
    periods
      .filter((p) => p.type === def.periodType)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map(({ code: periodCode }) => ({
        code: def.code,
        periodCode,
        tables: factsTables(def),
        variant: () => storedVariant(def, periodCode, cohort),
        compute: async (tx) => {
          const facts = await computeFacts(tx, def, periodCode, 'ALL');
          if (!cohort) return { payload: encode(facts), members: null };
          const rows = await tx.$queryRaw<{ ordinal: number; district: string | null; key: number }[]>(
            membersSql(cohort, parsePeriod(periodCode)),
          );
          const members = membersFrom(
            rows.map((r) => ({ ordinal: Number(r.ordinal), district: r.district, key: Number(r.key) })),
          );
          return { payload: encode(facts), members: new Uint8Array(encodeMembers(members)) };
        },
      }));
  const countJob = (def: StoredCountDefinition): Job => ({
    code: `COUNT:${def.key}`,
    periodCode: EVERY_PERIOD,
    tables: countTables(def),
    variant: () => statementDigest(def.sql),
    compute: async (tx) => {
      const rows = await tx.$queryRaw<Record<string, unknown>[]>(def.sql);
      const out: CountRow[] = rows.map((r) => [
        r.period_code as string,
        (r.district_code as string | null) ?? null,
        ...def.filters.map((f) => (r[f] ?? null) as string | boolean | null),
        Number(r.n),
      ]);
      return { payload: encode(out), members: null };
    },
  });
  const jobs: Job[] = [
    ...pluginIndicators(services)
      .filter((d) => d.facts)
      .flatMap((def) => perPeriod(def)),
    ...cohortCatalogue(services).flatMap((cohort) => perPeriod(cohortIndicatorOf(cohort), cohort)),
    ...services.flatMap((s) => s.storedCounts ?? []).map(countJob),
  ].filter((j) => overlaps(j.tables, options.tables));
  const refused = new Set<string>();
  const work = jobs.filter((j) => {
    const missing = uncounted(j.tables);
    if (missing.length && !refused.has(j.code)) {
      refused.add(j.code);
      options.log?.(`${j.code}: not materialised, no write counter on ${missing.join(', ')}`);
    }
    return !missing.length;
  });
  const concurrency = Math.max(1, options.concurrency ?? (db.kind === 'postgres' ? 2 : 1));
  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (next < work.length) {
      const job = work[next++];
      try {
        await materialiseOne(job);
        done++;
        options.log?.(`${job.code} ${job.periodCode} (${done}/${work.length})`);
      } catch (e) {
        // Another process materialising the same figures at the same time: theirs stands.
        failed++;
        options.log?.(`${job.code} ${job.periodCode}: not stored (${(e as Error).message.split('\n').at(-1)})`);
      }
    }
  };
  const materialiseOne = (job: Job) =>
    db.prisma.$transaction(
      async (tx) => {
        // Background work, bounded by the transaction's timeout rather than a request's statement timeout.
        if (db.statementTimeoutMs > 0) await tx.$executeRaw`SET LOCAL statement_timeout = 0`;
        const versions = await readTableVersions(tx);
        const computed = await job.compute(tx);
        const row = {
          variant: job.variant(),
          versions: versionStamp(job.tables, versions),
          ...computed,
          computedAt: new Date(),
        };
        await tx.factsSnapshot.upsert({
          where: { indicatorCode_periodCode: { indicatorCode: job.code, periodCode: job.periodCode } },
          create: { indicatorCode: job.code, periodCode: job.periodCode, ...row },
          update: row,
        });
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 10 * 60_000, maxWait: 60_000 },
    );
  await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker));
  return { snapshots: done, failed, milliseconds: Math.round(performance.now() - started) };
}

const refreshing = new WeakMap<Database, Promise<unknown>>();

/**
 * After a committed import: materialises again the indicators, cohorts and list totals reading the tables it
 * wrote, one refresh at a time per database (a later import waits for the refresh before it). Never throws: until a refresh is
 * stored, figures are computed live, which is slower, never wrong. Null when snapshots are off.
 */
export function refreshSnapshots(
  db: Database,
  services: ServicePlugin[],
  tables: TableSet,
  warn: (message: string) => void = console.warn,
): Promise<MaterialiseReport | null> {
  if (!snapshotsEnabled()) return Promise.resolve(null);
  const run = (refreshing.get(db) ?? Promise.resolve())
    .then(() => materialiseFacts(db, services, { tables }))
    .catch((e: Error) => {
      warn(`Could not refresh the materialised figures: ${e.message.split('\n').at(-1)}`);
      return null;
    });
  refreshing.set(db, run);
  return run;
}

/** Resolves when every refresh started on `db` has finished (an app waits for it when disposed). */
export async function settleSnapshots(db: Database): Promise<void> {
  await refreshing.get(db);
}

/**
 * Writes through: computes a definition's whole grouped table for a period and stores it as its snapshot,
 * stamped with the counters read in the same REPEATABLE READ transaction. Returns the facts even when
 * storing them fails (another process storing the same row at the same time: theirs stands).
 */
async function computeAndStore(db: Database, def: IndicatorDefinition, periodCode: string): Promise<PeriodFacts> {
  let facts: PeriodFacts | undefined;
  try {
    await db.prisma.$transaction(
      async (tx) => {
        const versions = await readTableVersions(tx);
        facts = await computeFacts(tx, def, periodCode, 'ALL');
        const row = {
          variant: factsVariant(def, periodCode, 'ALL'),
          versions: versionStamp(factsTables(def), versions),
          payload: encode(facts),
          members: null,
          computedAt: new Date(),
        };
        await tx.factsSnapshot.upsert({
          where: { indicatorCode_periodCode: { indicatorCode: def.code, periodCode } },
          create: { indicatorCode: def.code, periodCode, ...row },
          update: row,
        });
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 10 * 60_000, maxWait: 60_000 },
    );
  } catch (e) {
    if (!facts) throw e;
  }
  return facts as PeriodFacts;
}

/**
 * The grouped facts (whole table: every LA, district and group) of a definition outside the catalogue, such
 * as a service's own denominator (youth justice's population aged 10 to 17), stored and cached like the
 * catalogue's figures: through the result cache (keyed by the write counters of its tables), else from its
 * stored row while fresh, else computed and stored for every later request and process. Declare the
 * definition's `tables`, or any write to any table makes its row stale. One statement per period at most.
 */
export function storedFacts(ctx: Context, def: IndicatorDefinition, periodCode: string): Promise<PeriodFacts> {
  return ctx
    .loader<string, PeriodFacts>(
      `reporting.storedFacts:${def.code}`,
      ctx.results.batch(
        `stored-facts:${def.code}`,
        () => factsTables(def),
        async (periods) => {
          const versions = (await ctx.results.tableVersions()) ?? (await readTableVersions(ctx.db.prisma));
          const asked = periods.map((p) => ({
            key: p,
            code: def.code,
            periodCode: p,
            variant: factsVariant(def, p, 'ALL'),
            tables: factsTables(def),
          }));
          const stored = snapshotsEnabled() ? await freshSnapshots(ctx.db.prisma, asked, versions) : new Map();
          return Promise.all(
            periods.map(
              (p) =>
                stored.get(p) ??
                (snapshotsEnabled()
                  ? computeAndStore(ctx.db, def, p)
                  : computeFacts(ctx.db.prisma, def, p, 'ALL')
                ).catch((e: Error) => e),
            ),
          );
        },
        (p) => factsVariant(def, p, 'ALL'),
      ),
    )
    .load(periodCode);
}
