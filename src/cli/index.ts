// `cype`: the command line. Subcommands: migrate, seed, schema (and import, export, keys, generate, bench
// as they land). Every command works against the same store as the server (CYPE_DATA_DIR or DATABASE_URL).
import path from 'node:path';
import { Command } from 'commander';
import { describeMaterialised, materialiseFacts } from '../core/reporting/snapshots.js';
import { openDatabase } from '../db.js';
import {
  createMigration,
  deployMigrations,
  type MigrationTarget,
  markMigrationRolledBack,
  migrationStatus,
} from '../migrate.js';
import { enabledServices } from '../schema.js';
import { checkSchemaFile, SCHEMA_FILE, writeSchemaFile } from '../schema-file.js';
import { seedDemoIfEmpty } from '../seed-demo.js';
import { registerBenchCommand } from './bench.js';
import { registerExportCommand } from './export.js';
import { registerGenerateCommand } from './generate.js';
import { registerImportCommand } from './import.js';
import { registerKeysCommand } from './keys.js';
import { registerNewServiceCommand } from './new-service.js';
import { migrationTargetFromEnv } from './target.js';

const program = new Command();
program.name('cype').description('CYPE Graph: one GraphQL API over a directorate’s children’s services.');

const migrate = program
  .command('migrate')
  .description('Database migrations (offline driver; same history as `prisma migrate`).');

/** Where the schema files and migration folders are; the defaults are the project's own. */
interface DirOptions {
  schemaDir?: string;
  migrationsDir?: string;
}
function withDirOptions(cmd: Command): Command {
  return cmd
    .option('--schema-dir <dir>', 'folder of .prisma files (default prisma/schema)')
    .option('--migrations-dir <dir>', 'folder of migrations (default prisma/migrations)');
}

withDirOptions(migrate.command('deploy'))
  .description('Apply pending migrations to the store (CYPE_DATA_DIR or DATABASE_URL).')
  .action(async (dirs: DirOptions) => {
    await withTarget(async (target) => {
      const applied = await deployMigrations({ target, ...dirs });
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations to apply.');
    });
  });

withDirOptions(migrate.command('create'))
  .argument('<name>', 'short name for the migration, e.g. add_early_years')
  .description('Create a migration from the difference between prisma/migrations and prisma/schema/*.prisma.')
  .action(async (name: string, dirs: DirOptions) => {
    // The diff replays the history on a shadow database: an in-memory PGlite is enough.
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite('memory://');
    const dir = await createMigration(name, { target: { pglite }, ...dirs });
    console.log(dir ? `Created ${dir}/migration.sql` : 'Already in sync; no migration created.');
    await pglite.close();
  });

withDirOptions(migrate.command('status'))
  .description('Compare the migrations applied in the store with prisma/migrations.')
  .action(async (dirs: DirOptions) => {
    await withTarget(async (target) => {
      const s = await migrationStatus({ target, ...dirs });
      console.log(`Applied: ${s.applied.length}; pending: ${s.pending.join(', ') || 'none'}`);
      if (s.failed.length) console.log(`Failed: ${s.failed.join(', ')}`);
      if (s.edited.length) console.log(`Edited after applying: ${s.edited.join(', ')}`);
      if (s.notInFolder.length) console.log(`Applied but not in prisma/migrations: ${s.notInFolder.join(', ')}`);
      console.log(s.upToDate ? 'Database schema is up to date.' : 'Database schema is NOT up to date.');
      if (!s.upToDate) process.exitCode = 1;
    });
  });

migrate
  .command('resolve')
  .requiredOption('--rolled-back <name>', 'a failed migration to mark as rolled back, so deploy retries it')
  .description('Clear a failed migration after fixing its migration.sql (= `prisma migrate resolve --rolled-back`).')
  .action(async (opts: { rolledBack: string }) => {
    await withTarget(async (target) => {
      await markMigrationRolledBack(opts.rolledBack, { target });
      console.log(`Marked ${opts.rolledBack} as rolled back; \`npm run db:migrate\` applies it again.`);
    });
  });

program
  .command('seed')
  .description('Migrate, then load the deterministic demo data if the store has none.')
  .action(async () => {
    const db = await openDatabase({ migrate: true, owner: 'cype seed' });
    try {
      const seeded = await seedDemoIfEmpty(db, enabledServices(), console.log);
      console.log(seeded ? 'Demo data loaded.' : 'The store already has the demo data; nothing to do.');
    } finally {
      await db.close();
    }
  });

program
  .command('materialise')
  .description(
    'Compute and store every record-level indicator’s and cohort’s figures for every period, and the stored ' +
      'list totals (or those reading the given tables), so requests read them instead of computing them while ' +
      'the tables are unchanged.',
  )
  .option('--tables <names>', 'only figures reading one of these tables (comma-separated, e.g. EyfsResult)')
  .action(async (opts: { tables?: string }) => {
    const db = await openDatabase({ migrate: true, owner: 'cype materialise' });
    try {
      const tables = opts.tables
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const report = await materialiseFacts(db, enabledServices(), { tables, log: console.log });
      console.log(describeMaterialised(report));
      if (report.failed) process.exitCode = 1;
    } finally {
      await db.close();
    }
  });

program
  .command('schema')
  .description('Write schema/schema.graphql (sorted SDL); with --check, fail when it is stale.')
  .option('--check', 'only check that the committed file is up to date')
  .option('--file <path>', 'another file than schema/schema.graphql')
  .action((opts: { check?: boolean; file?: string }) => {
    const file = opts.file ? path.resolve(opts.file) : SCHEMA_FILE;
    if (opts.check) {
      const problem = checkSchemaFile(file);
      if (problem) {
        console.error(problem);
        process.exitCode = 1;
      } else console.log(`${path.relative(process.cwd(), file)} is up to date.`);
    } else console.log(`Wrote ${writeSchemaFile(file)}`);
  });

async function withTarget(fn: (target: MigrationTarget) => Promise<void>) {
  const { target, close } = await migrationTargetFromEnv();
  try {
    await fn(target);
  } finally {
    await close();
  }
}

registerImportCommand(program);
registerExportCommand(program);
registerKeysCommand(program);
registerGenerateCommand(program);
registerBenchCommand(program);
registerNewServiceCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
// The WASM schema engine can leave a 10 s timer behind: end explicitly.
process.exit(process.exitCode ?? 0);
