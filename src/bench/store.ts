// Where the benchmark's directorate lives: a dedicated PostgreSQL database per scale (`cype_bench_s1`,
// `cype_bench_s10`, on BENCH_DATABASE_URL's server, default postgresql://postgres@127.0.0.1:5432/) or a
// PGlite folder per scale (`.bench/pglite-s1`). Never the `test` database or the server's own store.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type Database, type DatabaseKind, openDatabase } from '../db.js';

export const DEFAULT_BENCH_SERVER = 'postgresql://postgres@127.0.0.1:5432/';

export interface StoreOptions {
  kind: DatabaseKind;
  scale: number;
  /** PGlite folder (default `.bench/pglite-s<scale>`). */
  dataDir?: string;
  /** PostgreSQL server URL (its path is replaced by the bench database's name). */
  server?: string;
  /** PostgreSQL database name (default `cype_bench_s<scale>`). */
  database?: string;
}

const scaleTag = (scale: number) => String(scale).replace(/\./g, '_');

export function benchServer(opts: Pick<StoreOptions, 'server'> = {}): string {
  return opts.server ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_SERVER;
}

/** URL of a database on the bench server. */
export function databaseUrl(server: string, name: string): string {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.href;
}

export function storeName(opts: StoreOptions): string {
  return opts.kind === 'postgres'
    ? (opts.database ?? `cype_bench_s${scaleTag(opts.scale)}`)
    : path.resolve(opts.dataDir ?? `.bench/pglite-s${scaleTag(opts.scale)}`);
}

async function admin<T>(server: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl(server, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
  if (name === 'test' || name === 'postgres') throw new Error(`The benchmark never writes to the "${name}" database`);
  return `"${name}"`;
};

export async function createPgDatabase(server: string, name: string, { fresh = false } = {}): Promise<void> {
  await admin(server, async (c) => {
    if (fresh) await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await c.query(`CREATE DATABASE ${ident(name)}`);
  });
}

export async function dropPgDatabase(server: string, name: string): Promise<void> {
  await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

/** Opens (creating, or recreating with `fresh`) the bench store, migrated. */
export async function openBenchStore(opts: StoreOptions & { fresh?: boolean }): Promise<Database> {
  const name = storeName(opts);
  if (opts.kind === 'postgres') {
    const server = benchServer(opts);
    await createPgDatabase(server, name, { fresh: opts.fresh });
    return openDatabase({ url: databaseUrl(server, name), migrate: true, owner: 'cype bench' });
  }
  if (opts.fresh) fs.rmSync(name, { recursive: true, force: true });
  return openDatabase({ dataDir: name, migrate: true, owner: 'cype bench' });
}

/** The PostgreSQL URL of a bench store (for the floor's `pg` pool), or null on PGlite. */
export function benchStoreUrl(opts: StoreOptions): string | null {
  return opts.kind === 'postgres' ? databaseUrl(benchServer(opts), storeName(opts)) : null;
}
