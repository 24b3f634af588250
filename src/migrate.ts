// The project's offline migration driver: `prisma migrate deploy | status` and `migrate dev --create-only`
// without Prisma's native schema engine (which cannot be downloaded here). It drives the same Rust code
// compiled to WASM (@prisma/schema-engine-wasm) through a driver adapter, so the migration folder and the
// `_prisma_migrations` bookkeeping are exactly what stock `prisma migrate deploy` expects. The engine reads
// the schema files composed as `prisma generate` reads them (src/prisma-schema.ts: plugin back-relations
// added to core models), and every deploy ends with `finishDeploy` (the table-version trigger on new
// tables), so neither a schema file nor a migration of a plugin needs a line for the core.
//
// Workarounds for upstream bugs (see PRISMA.md), each marked [n] below:
// [1] adapter-pg's connectToShadowDb() reconnects to the main database; we create/drop the shadow DB.
// [2] adapter-pg cannot read PostgreSQL's internal "char" type (OID 18); mapped to text in this process.
// [3] adapter-pg's executeScript splits on ";"; we run each migration as one multi-statement query.
// [4] pglite-prisma-adapter's executeScript does not await exec(); we await it, so failures roll back.
// [5] the WASM engine leaves a 10 s timer; CLI callers end with process.exit.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { composeSchemaFiles, PRISMA_SCHEMA_DIR, readSchemaFiles } from './prisma-schema.js';

export const DEFAULT_SCHEMA_DIR = PRISMA_SCHEMA_DIR;
export const DEFAULT_MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../prisma/migrations');

/** Where migrations are applied: an open PGlite instance, or a PostgreSQL connection string. */
export type MigrationTarget = { pglite: PGlite } | { url: string };

export interface MigrateOptions {
  target: MigrationTarget;
  schemaDir?: string;
  /** Extra .prisma files to include (e.g. a plugin living outside prisma/schema). */
  extraSchemaFiles?: string[];
  migrationsDir?: string;
  log?: (message: string) => void;
}

const filters = { externalTables: [], externalEnums: [] };

// biome-ignore lint/suspicious/noExplicitAny: the WASM engine's classes are untyped JS glue.
type Any = any;

let engineClass: Promise<Any> | undefined;
function loadSchemaEngine(): Promise<Any> {
  engineClass ??= (async () => {
    const g = globalThis as Any;
    g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => console.error(`schema-engine panic: ${m}`) };
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import(glue);
    const wasm = new WebAssembly.Module(await fs.readFile(glue.replace(/\.js$/, '.wasm')));
    const instance = new WebAssembly.Instance(wasm, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as Any).__wbindgen_start();
    return bg.SchemaEngine;
  })();
  return engineClass;
}

function runScriptsWith(adapter: Any, exec: (sql: string) => Promise<unknown>) {
  // [3][4] one awaited multi-statement query per migration: atomic, and failures surface.
  adapter.executeScript = async (sql: string) => {
    try {
      await exec(sql);
    } catch (e) {
      adapter.onError(e);
    }
  };
  return adapter;
}

let charTypePatched = false;
async function patchCharType() {
  if (charTypePatched) return;
  charTypePatched = true;
  // [2] pg_catalog's internal "char" (OID 18) arrives as text (OID 25) for the adapter.
  const { default: pg } = await import('pg');
  const proto = (pg as Any).Result.prototype;
  const addFields = proto.addFields;
  proto.addFields = function (fields: Any[]) {
    return addFields.call(
      this,
      fields.map((f) => (f.dataTypeID === 18 ? { ...f, dataTypeID: 25 } : f)),
    );
  };
}

async function openAdapterFactory(target: MigrationTarget): Promise<{ factory: Any; close: () => Promise<void> }> {
  if ('pglite' in target) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const open = async (db: PGlite) => runScriptsWith(await new PrismaPGlite(db).connect(), (sql) => db.exec(sql));
    const factory: Any = new PrismaPGlite(target.pglite);
    factory.connect = () => open(target.pglite);
    factory.connectToShadowDb = async () => {
      const shadow = new PGlite('memory://');
      const adapter = await open(shadow);
      adapter.dispose = () => shadow.close();
      return adapter;
    };
    return { factory, close: async () => {} };
  }
  await patchCharType();
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: target.url, max: 2 });
  const factory: Any = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => runScriptsWith(await connect(), (sql) => pool.query(sql));
  // [1] create, connect to and drop the shadow database ourselves.
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
    await pool.query(`CREATE DATABASE "${name}"`);
    const url = new URL(target.url);
    url.pathname = `/${name}`;
    const shadowPool = new pg.Pool({ connectionString: url.href, max: 1 });
    const adapter = runScriptsWith(await new PrismaPg(shadowPool).connect(), (sql) => shadowPool.query(sql));
    adapter.dispose = async () => {
      await shadowPool.end();
      await pool.query(`DROP DATABASE IF EXISTS "${name}"`);
    };
    return adapter;
  };
  return { factory, close: () => pool.end() };
}

/** The schema files, composed as `prisma generate` reads them (plugin back-relations on core models). */
async function schemaFiles(opts: MigrateOptions): Promise<[string, string][]> {
  const files = readSchemaFiles(opts.schemaDir ?? DEFAULT_SCHEMA_DIR, opts.extraSchemaFiles ?? []);
  return composeSchemaFiles(files).map((f) => [f.path, f.content]);
}

/** Migration folder names in apply order. */
export async function migrationNames(migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b));
}

async function migrationsList(migrationsDir: string) {
  const lock = await fs.readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  const names = await migrationNames(migrationsDir);
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await fs.readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok', value }),
          (e: Error) => ({ tag: 'error', value: e.message }),
        ),
      },
    })),
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lock ?? 'provider = "postgresql"\n' },
    migrationDirectories,
    shadowDbInitScript: '',
  };
}

async function withEngine<T>(
  opts: MigrateOptions,
  fn: (engine: Any, files: [string, string][]) => Promise<T>,
): Promise<T> {
  const SchemaEngine = await loadSchemaEngine();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const files = await schemaFiles(opts);
  const db = await openAdapterFactory(opts.target);
  const log = process.env.DEBUG_SCHEMA_ENGINE ? (m: string) => console.error('[schema-engine]', m) : () => {};
  let engine: Any;
  try {
    engine = await SchemaEngine.new({ datamodels: files }, log, bindMigrationAwareSqlAdapterFactory(db.factory));
    return await fn(engine, files);
  } catch (e) {
    throw toMigrationError(e);
  } finally {
    engine?.free();
    await db.close();
  }
}

export class MigrationError extends Error {
  /** The migration whose script failed, when one did. */
  migrationName?: string;
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

function toMigrationError(e: unknown): Error {
  if (e instanceof MigrationError) return e;
  const err = e as Any;
  return new MigrationError(`${err?.code ? `${err.code}: ` : ''}${err?.message ?? String(e)}`, err?.code);
}

/**
 * Applies pending migrations (= `prisma migrate deploy`), then finishes the deploy (`finishDeploy`: the
 * table-version trigger on every new table). Returns the names applied.
 */
export async function deployMigrations(opts: MigrateOptions): Promise<string[]> {
  const dir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  let applied: string[];
  try {
    applied = await withEngine(opts, async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: await migrationsList(dir),
        filters,
      });
      return appliedMigrationNames as string[];
    });
  } catch (e) {
    // The migrations applied before the failing one stay: count their tables' writes all the same. The
    // deploy's own error is the one to report (this one may only say that the history stops too early).
    await finishDeploy(opts.target).catch(() => {});
    throw failedMigrationError(e as MigrationError);
  }
  const triggered = await finishDeploy(opts.target);
  if (triggered) opts.log?.(`Table-version trigger put on ${triggered} table(s).`);
  return applied;
}

/** Prisma Migrate's advisory lock: deploys of several replicas take it one after the other. */
const MIGRATE_ADVISORY_LOCK = 72707369;

/**
 * What every deploy does once the migrations are applied, so that no migration has to: puts the
 * statement-level table-version trigger (cype_version_tables(), defined by migration
 * 20261201222310_facts_snapshots) on every table that has none, bookkeeping tables excepted. Materialised
 * figures trust only tables that carry it (src/core/reporting/snapshots.ts). Idempotent, and serialised
 * with concurrent deploys on Prisma's advisory lock. Test kits that load the migration files without the
 * engine call it too, so they see what a deployed database has. Returns the number of tables triggered.
 */
export async function finishDeploy(target: MigrationTarget): Promise<number> {
  const lock = `SELECT pg_advisory_xact_lock(${MIGRATE_ADVISORY_LOCK})`;
  const install = 'SELECT cype_version_tables() AS triggered';
  try {
    if ('pglite' in target) {
      return await target.pglite.transaction(async (tx) => {
        await tx.query(lock);
        return Number((await tx.query<{ triggered: number }>(install)).rows[0].triggered);
      });
    }
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(lock);
      const triggered = Number((await client.query<{ triggered: number }>(install)).rows[0].triggered);
      await client.query('COMMIT');
      return triggered;
    } finally {
      await client.end();
    }
  } catch (e) {
    throw new MigrationError(
      `Could not put the table-version trigger on the tables (SELECT cype_version_tables()): ${(e as Error).message}. ` +
        'The function comes with migration 20261201222310_facts_snapshots; is that migration applied?',
    );
  }
}

/**
 * The engine's error for a failing script is its database message followed by a Rust span trace that
 * names the migration: keep the message, name the migration, and say how to get out of the failed state.
 */
function failedMigrationError(e: MigrationError): MigrationError {
  const name = /Applying migration\s+with migration_name="([^"]+)"/.exec(e.message)?.[1];
  if (!name) return e;
  const reason = e.message
    .split('\n')
    .filter((line) => !/^\s+(\d+:|with |at )/.test(line) && line.trim() && !/^external connector error$/.test(line))
    .join(' ');
  const failed = new MigrationError(
    `Migration ${name} failed, and its changes were rolled back: ${reason}. It is recorded as failed in ` +
      `_prisma_migrations; fix its migration.sql, then run \`npm run cype -- migrate resolve --rolled-back ${name}\` ` +
      'and deploy again.',
    e.code,
  );
  failed.migrationName = name;
  return failed;
}

/** Marks a failed migration as rolled back (= `prisma migrate resolve --rolled-back`), so deploy retries it. */
export async function markMigrationRolledBack(name: string, opts: MigrateOptions): Promise<void> {
  await withEngine(opts, (engine) => engine.markMigrationRolledBack({ migrationName: name }));
}

/** SQL that brings the migration history up to the schema files (empty when in sync). */
export async function diffMigrations(opts: MigrateOptions): Promise<string> {
  const dir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  return withEngine(opts, async (engine, files) => {
    const r = await engine.diff({
      from: { tag: 'migrations', ...(await migrationsList(dir)) },
      to: { tag: 'schemaDatamodel', files: files.map(([p, content]) => ({ path: p, content })) },
      script: true,
      exitCode: true,
      filters,
    });
    return r.exitCode === 2 ? (r.stdout as string) : '';
  });
}

/**
 * Writes a new migration folder from the difference between the history and the schema files
 * (= `prisma migrate dev --create-only`). Returns its path, or null when already in sync.
 */
export async function createMigration(name: string, opts: MigrateOptions): Promise<string | null> {
  const dir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const sql = await diffMigrations(opts);
  if (!sql.trim()) return null;
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = path.join(dir, `${stamp}${slug ? `_${slug}` : ''}`);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, 'migration.sql'), sql);
  await fs.writeFile(
    path.join(dir, 'migration_lock.toml'),
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
  );
  return folder;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  /** Recorded as applied in the database but absent from the migrations folder (another branch?). */
  notInFolder: string[];
  upToDate: boolean;
}

type HistoryDiagnostic =
  | { diagnostic: 'databaseIsBehind'; unappliedMigrationNames: string[] }
  | { diagnostic: 'migrationsDirectoryIsBehind'; unpersistedMigrationNames: string[] }
  | { diagnostic: 'historiesDiverge'; unpersistedMigrationNames: string[]; unappliedMigrationNames: string[] };

/** Compares the history in the database with the migration folder (= `prisma migrate status`). */
export async function migrationStatus(opts: MigrateOptions): Promise<MigrationStatus> {
  const dir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  return withEngine(opts, async (engine) => {
    const r = await engine.diagnoseMigrationHistory({
      migrationsList: await migrationsList(dir),
      optInToShadowDatabase: false,
      filters,
    });
    const history = r.history as HistoryDiagnostic | null;
    const names = await migrationNames(dir);
    const pending = history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : [];
    const notInFolder = history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [];
    const failed: string[] = r.failedMigrationNames ?? [];
    const edited: string[] = r.editedMigrationNames ?? [];
    const applied = names.filter((n) => !pending.includes(n) && !failed.includes(n));
    return {
      applied,
      pending,
      failed,
      edited,
      notInFolder,
      upToDate: !history && !failed.length && !edited.length,
    };
  });
}

/** sha256 of a migration file, as Prisma records it in `_prisma_migrations.checksum`. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Cheap check, without loading the WASM engine (about 5 s): true when some migration folder is not
 * recorded as applied with the same checksum. Start-up calls the engine only then.
 */
export async function needsDeploy(target: MigrationTarget, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<boolean> {
  const sql = `SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  let rows: { migration_name: string; checksum: string }[];
  try {
    if ('pglite' in target) {
      rows = (await target.pglite.query<{ migration_name: string; checksum: string }>(sql)).rows;
    } else {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        rows = (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    }
  } catch {
    return true; // no bookkeeping table yet
  }
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  for (const name of await migrationNames(migrationsDir)) {
    const file = await fs.readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    if (applied.get(name) !== migrationChecksum(file)) return true;
  }
  return false;
}
