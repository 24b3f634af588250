// `cype import` as a separate process, the way councils run it: --help, the summary, the 100-error cap and
// exit codes, the PGlite folder lock against a running server, and kill -9 in the middle of writing a
// big file (the store must be exactly as before; on PostgreSQL too when TEST_DATABASE_URL is set).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFormats, exampleCsv } from '../../src/core/ingest/index.js';
import { type Database, openDatabase } from '../../src/db.js';
import { createServerDatabase, onPostgres } from '../harness.js';
import { fixture, readCsv, snapshot } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Store {
  env: Record<string, string>;
  open(): Promise<Database>;
}
const pgliteStore = (): Store => ({
  env: { CYPE_DATA_DIR: path.join(dir, 'data') },
  open: () => openDatabase({ dataDir: path.join(dir, 'data'), migrate: true, owner: 'vitest' }),
});

function start(
  args: string[],
  store: Store,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const env: Record<string, string | undefined> = { ...process.env, ...store.env, CYPE_SERVICES: '' };
  if (!store.env.DATABASE_URL) delete env.DATABASE_URL;
  // One process (no tsx wrapper), so kill -9 hits the process that holds the transaction.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
const cli = (args: string[], store: Store) => start(args, store).done;

describe('cype import (PGlite folder)', () => {
  it('--help lists every format with its columns, types and an example row', async () => {
    const r = await cli(['import', '--help'], pgliteStore());
    expect(r.code).toBe(0);
    for (const f of coreFormats) {
      expect(r.stdout).toContain(`  ${f.name}\n`);
      for (const c of f.columns)
        expect(r.stdout).toMatch(new RegExp(`\\n {4}${c.name} +${c.type.replace(/[|()?*+.]/g, '\\$&')}`));
      for (const line of exampleCsv(f).split('\n')) expect(r.stdout).toContain(`      ${line}\n`);
    }
    expect(r.stdout).toContain('--map <file>');
  });

  it('imports a file and prints a summary', async () => {
    const store = pgliteStore();
    const r = await cli(['import', 'core/areas', fixture('areas.csv')], store);
    expect(r.code).toBe(0);
    const n = readCsv(fixture('areas.csv')).length;
    expect(r.stdout).toContain(`core/areas areas.csv: ${n} rows; inserted ${n}, updated 0, unchanged 0`);
    expect(r.stderr).toMatch(/writing \d+\/\d+ rows/);
    const people = await cli(['import', 'core/people', fixture('people.csv'), '--dry-run'], store);
    expect(people.stdout).toContain('dry run, nothing written: would insert');
    const real = await cli(['import', 'core/people', fixture('people.csv')], store);
    expect(real.code).toBe(0);
  }, 120_000);

  it('imports a published file with --map and exports it again with --map-out', async () => {
    const store = pgliteStore();
    const map = JSON.parse(fs.readFileSync(fixture('ees/cin-map.json'), 'utf8'));
    map.filters = { social_care_group: { 'CLA 12 months at 31 March': 'TOTAL', '*': null } };
    const mapFile = path.join(dir, 'cla-map.json');
    fs.writeFileSync(mapFile, JSON.stringify(map));
    const imported = await cli(['import', 'core/ees', fixture('ees/small.csv'), '--map', mapFile], store);
    expect(imported.code).toBe(0);
    const source = readCsv(fixture('ees/small.csv'));
    const cla = source.filter((x) => x.social_care_group === 'CLA 12 months at 31 March');
    expect(imported.stdout).toContain(`(${source.length - cla.length} skipped)`);

    const out = path.join(dir, 'export.csv');
    const mapOut = path.join(dir, 'export-map.json');
    const exported = await cli(
      [
        'export',
        '--codes',
        'PUB_KS4_BASICS_94',
        '--area',
        'E10000016',
        '--period',
        '2023/2024|AY',
        '--out',
        out,
        '--map-out',
        mapOut,
      ],
      store,
    );
    expect(exported.code).toBe(0);
    const kent = cla.find((x) => x.new_la_code === 'E10000016')!;
    const row = readCsv(out).find((x) => x.breakdown === 'TOTAL')!;
    expect([row.PUB_KS4_BASICS_94, row.PUB_KS4_BASICS_94_numerator, row.PUB_KS4_BASICS_94_denominator]).toEqual([
      kent.pt_l2basics_94,
      kent.t_l2basics_94,
      kent.t_pupils,
    ]);
    expect(JSON.parse(fs.readFileSync(mapOut, 'utf8')).indicators[0]).toMatchObject({
      column: 'PUB_KS4_BASICS_94',
      numerator: 'PUB_KS4_BASICS_94_numerator',
    });
  }, 120_000);

  it('prints at most 100 errors and the total, exits 1 and writes nothing', async () => {
    const store = pgliteStore();
    const file = path.join(dir, 'many-errors.csv');
    const bad = 150;
    fs.writeFileSync(
      file,
      `person_id,birth_month,sex,ethnicity_major,district_code\n${Array.from({ length: bad }, (_, i) => `E${i},2010-01,Q,WHITE,\n`).join('')}`,
    );
    const r = await cli(['import', 'core/people', file], store);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('line '));
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe('line 2, column sex, value "Q": expected one of F|M|U');
    expect(r.stdout).toContain(`… and ${bad - 100} more (${bad} errors in all).`);
    expect(r.stdout).toContain('nothing was written');
    const unknown = await cli(['import', 'core/nope', file], store);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown format "core/nope"');
  }, 120_000);

  it('refuses to open a folder a running server holds, naming that process', async () => {
    const store = pgliteStore();
    const server = await openDatabase({ dataDir: path.join(dir, 'data'), owner: 'cype server (vitest)' });
    try {
      const r = await cli(['import', 'core/areas', fixture('areas.csv')], store);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`in use by process ${process.pid} (cype server (vitest)`);
      expect(r.stderr).toContain('importFile');
    } finally {
      await server.close();
    }
  }, 120_000);

  it('leaves the store exactly as before when killed with -9 while writing', async () => {
    await killMidImport(pgliteStore());
  }, 240_000);
});

describe.skipIf(!onPostgres)('cype import (PostgreSQL)', () => {
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ url, drop } = await createServerDatabase('cype_kill'));
  });
  afterAll(() => drop?.());

  it('leaves the store exactly as before when killed with -9 while writing', async () => {
    const store: Store = { env: { DATABASE_URL: url }, open: () => openDatabase({ url }) };
    expect((await cli(['import', 'core/areas', fixture('areas.csv')], store)).code).toBe(0);
    expect((await cli(['import', 'core/people', fixture('people.csv')], store)).code).toBe(0);
    await killMidImport(store);
  }, 240_000);
});

/** Starts a big import, kills it once a batch is written inside the transaction, then checks nothing changed. */
async function killMidImport(store: Store) {
  const rows = 60_000;
  const file = path.join(dir, 'big-people.csv');
  const districts = ['E07000105', 'E07000106', 'E07000110', ''];
  const stored = readCsv(fixture('people.csv'));
  const existing = stored.map((p) => p.person_id);
  let csv = 'person_id,birth_month,sex,ethnicity_major,district_code\n';
  let changed = 0;
  for (let i = 0; i < rows; i++) {
    // The first rows are people already stored, so a partial write would show as changed values too.
    const id = i < existing.length ? existing[i] : `K${String(i).padStart(7, '0')}`;
    const line = `${id},20${10 + (i % 7)}-0${1 + (i % 9)},${'FMU'[i % 3]},OTHER,${districts[i % 4]}`;
    if (i < existing.length && line !== Object.values(stored[i]).join(',')) changed++;
    csv += `${line}\n`;
  }
  expect(changed).toBeGreaterThan(0);
  fs.writeFileSync(file, csv);

  let db = await store.open();
  const before = await snapshot(db);
  const importsBefore = await db.prisma.import.findMany({ orderBy: { id: 'asc' } });
  await db.close();

  const { child, done } = start(['import', 'core/people', file], store);
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      stderr += d;
      const written = [...stderr.matchAll(/writing (\d+)\/(\d+) rows/g)].map((m) => Number(m[1]));
      if (written.some((n) => n >= 10_000 && n < rows)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('close', () => reject(new Error(`the import ended before it could be killed:\n${stderr}`)));
  });
  const ended = await done;
  expect(ended.signal).toBe('SIGKILL');

  db = await store.open();
  try {
    expect(await snapshot(db)).toBe(before);
    expect(await db.prisma.import.findMany({ orderBy: { id: 'asc' } })).toEqual(importsBefore);
  } finally {
    await db.close();
  }
  // The store still works: the same file now goes through in full.
  const again = await cli(['import', 'core/people', file], store);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(
    `${rows} rows; inserted ${rows - existing.length}, updated ${changed}, unchanged ${existing.length - changed}`,
  );
}
