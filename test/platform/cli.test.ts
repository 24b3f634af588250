// The command line as package.json wires it (`npm run db:migrate`, `db:migrate:status`,
// `db:migrate:create`, `schema:check`, `npx cype`), the schema check both ways on a copy of the schema
// file, and the PGlite folder lock (src/db.ts lockDataDir) against live and dead holders.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, lockDataDir } from '../../src/db.js';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_DIR, migrationNames } from '../../src/migrate.js';
import { checkSchemaFile, printedSchema, writeSchemaFile } from '../../src/schema-file.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let tmp: string;
let committed: string[];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-cli-'));
  committed = await migrationNames();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm run -s <script> -- <args>` as a user would, on the PGlite folder tmp/data. */
function npmRun(script: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CYPE_DATA_DIR: path.join(tmp, 'data') };
  delete env.DATABASE_URL;
  const child = spawn('npm', ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

// Each command is a fresh process that loads the schema engine: generous limits for a loaded machine.
describe('migrate commands', { timeout: 180_000 }, () => {
  it('db:migrate applies every migration, then db:migrate:status says up to date', async () => {
    const deploy = await npmRun('db:migrate');
    expect(deploy.out).toContain(`Applied: ${committed.join(', ')}`);
    expect(deploy.code).toBe(0);

    const status = await npmRun('db:migrate:status');
    expect(status.out).toContain(`Applied: ${committed.length}; pending: none`);
    expect(status.out).toContain('Database schema is up to date.');
    expect(status.code).toBe(0);
  });

  it('db:migrate:create writes a migration for a schema change (here into a copy of the folders)', async () => {
    const schemaDir = path.join(tmp, 'schema');
    const migrationsDir = path.join(tmp, 'migrations');
    fs.cpSync(DEFAULT_SCHEMA_DIR, schemaDir, { recursive: true });
    fs.cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    fs.writeFileSync(path.join(schemaDir, 'probe.prisma'), 'model CliProbe {\n  id Int @id\n}\n');

    const r = await npmRun(
      'db:migrate:create',
      'cli probe',
      '--schema-dir',
      schemaDir,
      '--migrations-dir',
      migrationsDir,
    );
    expect(r.code).toBe(0);
    const added = (await migrationNames(migrationsDir)).filter((n) => !committed.includes(n));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/_cli_probe$/);
    expect(r.out).toContain(`Created ${path.join(migrationsDir, added[0])}/migration.sql`);
    expect(fs.readFileSync(path.join(migrationsDir, added[0], 'migration.sql'), 'utf8')).toMatch(
      /CREATE TABLE "CliProbe"/,
    );
    // The project's own folders are untouched.
    expect(await migrationNames()).toEqual(committed);
  });
});

describe('schema check', () => {
  it('passes on a freshly written file and names the first stale line otherwise', () => {
    const file = path.join(tmp, 'schema.graphql');
    expect(writeSchemaFile(file)).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(printedSchema());
    expect(checkSchemaFile(file)).toBeNull();

    const lines = printedSchema().split('\n');
    const at = lines.findIndex((l) => l.startsWith('type Query'));
    lines[at] = 'type Query { stale: Boolean }';
    fs.writeFileSync(file, lines.join('\n'));
    const problem = checkSchemaFile(file);
    expect(problem).toMatch(new RegExp(`not up to date \\(first difference at line ${at + 1}:`));
    expect(problem).toMatch(/npm run schema/);

    expect(checkSchemaFile(path.join(tmp, 'missing.graphql'))).toMatch(/at line 1:/);
  });

  it('npm run schema:check exits 1 on a stale file', { timeout: 120_000 }, async () => {
    const file = path.join(tmp, 'stale.graphql');
    fs.writeFileSync(file, printedSchema().replace('type Query', 'type Queries'));
    const r = await npmRun('schema:check', '--file', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/stale\.graphql is not up to date/);
  });
});

describe('npx cype', { timeout: 120_000 }, () => {
  it('runs from any working directory', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/cype.mjs'), 'migrate', '--help'], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    for (const command of ['deploy', 'create', 'status', 'resolve']) expect(r.stdout).toContain(command);
  });
});

describe('PGlite folder lock', () => {
  it('turns a second holder away, naming the live holder, and leaves its lock alone', () => {
    const dir = path.join(tmp, 'locked');
    fs.mkdirSync(dir);
    const lock = path.join(dir, 'cype.lock');
    // The parent of this test worker is alive for as long as the test runs.
    const holder = { pid: process.ppid, owner: 'cype server (port 4000)', since: '2017-01-31T09:00:00.000Z' };
    fs.writeFileSync(lock, JSON.stringify(holder));

    let error: unknown;
    try {
      lockDataDir(dir, 'second');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as DatabaseLockedError).holder).toEqual(holder);
    expect((error as Error).message).toContain(`in use by process ${process.ppid} (cype server (port 4000)`);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toEqual(holder);
  });

  it('takes over a lock whose process is gone, and releases only its own', () => {
    const dir = path.join(tmp, 'stale');
    fs.mkdirSync(dir);
    const lock = path.join(dir, 'cype.lock');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(lock, JSON.stringify({ pid: dead, owner: 'crashed', since: '2017-01-31T09:00:00.000Z' }));

    const unlock = lockDataDir(dir, 'taker');
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, owner: 'taker' });
    unlock();
    expect(fs.existsSync(lock)).toBe(false);

    // A lock another process took after ours was released is not ours to remove.
    const again = lockDataDir(dir, 'taker');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, owner: 'other', since: '' }));
    again();
    expect(fs.existsSync(lock)).toBe(true);
  });
});
