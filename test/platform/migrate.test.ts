// The offline migration driver (src/migrate.ts) on an empty database: PGlite always, PostgreSQL too when
// TEST_DATABASE_URL is set. Creating a migration from a schema change (every prisma/schema/*.prisma file
// counts), deploying twice, needsDeploy, a broken migration recorded as failed and rolled back, and the
// table-version trigger every deploy puts on new tables (no migration asks for it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigration,
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_DIR,
  deployMigrations,
  diffMigrations,
  finishDeploy,
  MigrationError,
  type MigrationTarget,
  markMigrationRolledBack,
  migrationChecksum,
  migrationNames,
  migrationStatus,
  needsDeploy,
} from '../../src/migrate.js';
import { createServerDatabase, onPostgres } from '../harness.js';

interface Store {
  target: MigrationTarget;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function pgliteStore(): Promise<Store> {
  const pglite = new PGlite('memory://');
  return {
    target: { pglite },
    query: async <T>(sql: string) => (await pglite.query<T>(sql)).rows,
    close: () => pglite.close(),
  };
}

async function postgresStore(): Promise<Store> {
  const { url, drop } = await createServerDatabase('cype_migrate');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    target: { url },
    query: async <T>(sql: string) => (await pool.query(sql)).rows as T[],
    close: async () => {
      await pool.end();
      await drop();
    },
  };
}

const stores = [
  { name: 'PGlite', open: pgliteStore },
  ...(onPostgres ? [{ name: 'PostgreSQL', open: postgresStore }] : []),
];

const WIDGET_FILE = `// A model in a file of its own, as a service plugin adds one.
model PlatformProbeWidget {
  id    Int    @id @default(autoincrement())
  label String
}
`;
const GADGET_MODEL = `
/// Appended to a copy of core.prisma.
model PlatformProbeGadget {
  id   Int    @id
  size Float
}
`;
const EXTRA_FILE = `model PlatformProbeExtra {
  id Int @id
}
`;

function tableExists(store: Store, table: string): Promise<boolean> {
  return store.query<{ t: string | null }>(`SELECT to_regclass('"${table}"')::text AS t`).then((r) => r[0].t !== null);
}

function migrationRows(store: Store) {
  return store.query<{
    id: string;
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
    applied_steps_count: number;
  }>(
    'SELECT id, migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY migration_name, started_at',
  );
}

// Each diff replays the history on a fresh shadow database: generous limits for a loaded machine.
describe.each(stores)('migration driver on $name', { timeout: 180_000 }, ({ open }) => {
  let store: Store;
  let tmp: string;
  let schemaDir: string;
  let migrationsDir: string;
  let committed: string[];

  beforeAll(async () => {
    store = await open();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-migrate-'));
    schemaDir = path.join(tmp, 'schema');
    migrationsDir = path.join(tmp, 'migrations');
    fs.cpSync(DEFAULT_SCHEMA_DIR, schemaDir, { recursive: true });
    fs.cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    committed = await migrationNames(DEFAULT_MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the committed migrations in sync with every prisma/schema/*.prisma file', async () => {
    expect(committed.length).toBeGreaterThan(0);
    expect(await diffMigrations({ target: store.target })).toBe('');
  });

  it('creates a migration from models added in a new schema file and in an existing one', async () => {
    fs.writeFileSync(path.join(schemaDir, 'platform-probe.prisma'), WIDGET_FILE);
    fs.appendFileSync(path.join(schemaDir, 'core.prisma'), GADGET_MODEL);

    const folder = await createMigration('Add probe widgets!', { target: store.target, schemaDir, migrationsDir });
    expect(folder).not.toBeNull();
    expect(path.basename(folder!)).toMatch(/^\d{14}_add_probe_widgets$/);
    expect(await migrationNames(migrationsDir)).toEqual([...committed, path.basename(folder!)]);

    const sql = fs.readFileSync(path.join(folder!, 'migration.sql'), 'utf8');
    expect(sql).toMatch(/CREATE TABLE "PlatformProbeWidget"/);
    expect(sql).toMatch(/CREATE TABLE "PlatformProbeGadget"/);
    // Only the change: nothing the committed history already creates.
    expect(sql.match(/CREATE TABLE/g)).toHaveLength(2);

    expect(await createMigration('again', { target: store.target, schemaDir, migrationsDir })).toBeNull();
    expect(await migrationNames(migrationsDir)).toHaveLength(committed.length + 1);
  });

  it('includes extra schema files given outside the schema folder', async () => {
    const extra = path.join(tmp, 'extra.prisma');
    fs.writeFileSync(extra, EXTRA_FILE);
    const sql = await diffMigrations({ target: store.target, schemaDir, migrationsDir, extraSchemaFiles: [extra] });
    expect(sql).toMatch(/CREATE TABLE "PlatformProbeExtra"/);
    expect(sql.match(/CREATE TABLE/g)).toHaveLength(1);
  });

  it('deploys every committed migration on an empty database, and nothing the second time', async () => {
    expect(await needsDeploy(store.target)).toBe(true);
    expect((await migrationStatus({ target: store.target })).pending).toEqual(committed);

    expect(await deployMigrations({ target: store.target })).toEqual(committed);
    const rows = await migrationRows(store);
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const r of rows) {
      const file = fs.readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, r.migration_name, 'migration.sql'), 'utf8');
      expect(r.checksum).toBe(migrationChecksum(file));
      expect(r.finished_at).not.toBeNull();
    }
    expect(await tableExists(store, 'Area')).toBe(true);

    expect(await deployMigrations({ target: store.target })).toEqual([]);
    expect(await migrationRows(store)).toEqual(rows);
    expect(await needsDeploy(store.target)).toBe(false);
    expect(await migrationStatus({ target: store.target })).toMatchObject({ pending: [], failed: [], upToDate: true });
  });

  it('needs a deploy when a migration folder is added, and applies just that one', async () => {
    const added = (await migrationNames(migrationsDir)).at(-1)!;
    expect(committed).not.toContain(added);
    expect(await needsDeploy(store.target, migrationsDir)).toBe(true);
    expect((await migrationStatus({ target: store.target, migrationsDir })).pending).toEqual([added]);

    expect(await deployMigrations({ target: store.target, migrationsDir })).toEqual([added]);
    expect(await tableExists(store, 'PlatformProbeWidget')).toBe(true);
    expect(await tableExists(store, 'PlatformProbeGadget')).toBe(true);
    expect(await needsDeploy(store.target, migrationsDir)).toBe(false);
  });

  it('records a broken migration as failed and rolls back its statements', async () => {
    const name = '99990101000000_broken';
    const file = path.join(migrationsDir, name, 'migration.sql');
    fs.mkdirSync(path.dirname(file));
    // The first statement is valid: it must not survive the failure of the second.
    fs.writeFileSync(
      file,
      'CREATE TABLE "PlatformRollbackProbe" (id integer PRIMARY KEY);\nSELECT * FROM "platform_no_such_table";\n',
    );
    const before = await migrationRows(store);

    const error = await deployMigrations({ target: store.target, migrationsDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migrationName).toBe(name);
    expect((error as Error).message).toMatch(/platform_no_such_table/);
    expect((error as Error).message).toMatch(/migrate resolve --rolled-back 99990101000000_broken/);

    expect(await tableExists(store, 'PlatformRollbackProbe')).toBe(false);
    const rows = await migrationRows(store);
    expect(rows.slice(0, before.length)).toEqual(before);
    const failed = rows.find((r) => r.migration_name === name);
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed?.logs).toMatch(/platform_no_such_table/);

    const status = await migrationStatus({ target: store.target, migrationsDir });
    expect(status.failed).toEqual([name]);
    expect(status.upToDate).toBe(false);
    expect(await needsDeploy(store.target, migrationsDir)).toBe(true);
    // A failed migration blocks further deploys until resolved, as with stock Prisma.
    await expect(deployMigrations({ target: store.target, migrationsDir })).rejects.toThrow(/failed/i);
  });

  it('applies the fixed migration after it is marked rolled back', async () => {
    const name = '99990101000000_broken';
    fs.writeFileSync(
      path.join(migrationsDir, name, 'migration.sql'),
      'CREATE TABLE "PlatformRollbackProbe" (id integer PRIMARY KEY);\n',
    );
    await markMigrationRolledBack(name, { target: store.target });
    expect(await deployMigrations({ target: store.target, migrationsDir })).toEqual([name]);
    expect(await tableExists(store, 'PlatformRollbackProbe')).toBe(true);
    const rows = (await migrationRows(store)).filter((r) => r.migration_name === name);
    expect(rows.map((r) => [r.rolled_back_at !== null, r.finished_at !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(await migrationStatus({ target: store.target, migrationsDir })).toMatchObject({
      failed: [],
      pending: [],
      upToDate: true,
    });
    expect(await needsDeploy(store.target, migrationsDir)).toBe(false);
  });

  it('puts the table-version trigger on a new table whose migration does not ask for it', async () => {
    const fresh = await open();
    try {
      const dir = path.join(tmp, 'uncounted-migrations');
      fs.cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
      const name = '99990201000000_platform_counted_probe';
      fs.mkdirSync(path.join(dir, name));
      // No `SELECT cype_version_tables();` at the end: the deploy's business, not the migration's.
      fs.writeFileSync(
        path.join(dir, name, 'migration.sql'),
        'CREATE TABLE "PlatformCountedProbe" (id integer PRIMARY KEY, label text);\n',
      );
      expect(await deployMigrations({ target: fresh.target, migrationsDir: dir })).toEqual([...committed, name]);

      const triggers = (table: string) =>
        fresh.query<{ name: string }>(
          `SELECT tgname AS name FROM pg_trigger WHERE tgrelid = '"${table}"'::regclass AND NOT tgisinternal`,
        );
      expect(await triggers('PlatformCountedProbe')).toEqual([{ name: 'cype_table_version' }]);
      // Bookkeeping tables are not counted.
      expect(await triggers('_prisma_migrations')).toEqual([]);
      expect(await triggers('TableVersion')).toEqual([]);

      const version = async () =>
        (
          await fresh.query<{ version: number }>(
            `SELECT "version"::int AS version FROM "TableVersion" WHERE "table" = 'PlatformCountedProbe'`,
          )
        )[0]?.version ?? 0;
      expect(await version()).toBe(0);
      await fresh.query(`INSERT INTO "PlatformCountedProbe" VALUES (1, 'a'), (2, 'b')`);
      expect(await version()).toBe(1);
      await fresh.query(`UPDATE "PlatformCountedProbe" SET label = 'c'`);
      expect(await version()).toBe(2);

      // Idempotent: nothing more to trigger, and still one trigger per table.
      expect(await deployMigrations({ target: fresh.target, migrationsDir: dir })).toEqual([]);
      expect(await finishDeploy(fresh.target)).toBe(0);
      expect(await triggers('PlatformCountedProbe')).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
