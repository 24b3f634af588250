// Test kit: one fresh database per test file (in-memory PGlite, or a throwaway database on the server
// named by TEST_DATABASE_URL), loaded from the committed migration files, plus an in-process app.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { type AppOptions, createApp } from '../src/app.js';
import { ANALYST } from '../src/context.js';
import type { Viewer } from '../src/core/access/viewer.js';
import type { ServicePlugin } from '../src/core/plugin.js';
import { type Database, openDatabase } from '../src/db.js';
import { DEFAULT_MIGRATIONS_DIR, finishDeploy, type MigrationTarget, migrationNames } from '../src/migrate.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const onPostgres = Boolean(TEST_DATABASE_URL);

/** The Redis the Redis tests use (TEST_REDIS_URL, else REDIS_URL, else the local default). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers at `url` within a second (the Redis tests skip with a notice otherwise). */
export async function redisAnswers(url = TEST_REDIS_URL): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Every statement `fn` issued through Prisma (the replica's marked `[replica]`). */
export async function recorded(db: Database, fn: () => Promise<unknown>): Promise<string[]> {
  db.recorded = [];
  try {
    await fn();
    return db.recorded ?? [];
  } finally {
    db.recorded = null;
  }
}

/** A TCP port free on 127.0.0.1 right now (for a server started in a child process). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function migrationSql(dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const names = await migrationNames(dir);
  return names.map((n) => fs.readFileSync(path.join(dir, n, 'migration.sql'), 'utf8'));
}

/** A throwaway database on the test server: returns its URL and a function that drops it. */
export async function createServerDatabase(prefix = 'cype_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Loads the committed migration files, then `extraSql` (a test plugin's tables), into an empty database,
 * and finishes as every deploy does (`finishDeploy`: the table-version trigger on every table, the test's
 * own included). Quicker than the WASM engine, and what it leaves is what a deploy leaves.
 */
export async function loadMigrations(target: MigrationTarget, extraSql: string[] = []): Promise<void> {
  const sqls = [...(await migrationSql()), ...extraSql];
  if ('pglite' in target) {
    for (const sql of sqls) await target.pglite.exec(sql);
  } else {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    try {
      for (const sql of sqls) await c.query(sql);
    } finally {
      await c.end();
    }
  }
  await finishDeploy(target);
}

/** A migrated, empty database for one test file. */
export async function createTestDatabase(extraSql: string[] = []): Promise<Database> {
  if (TEST_DATABASE_URL) {
    const { url, drop } = await createServerDatabase();
    await loadMigrations({ url }, extraSql);
    const db = await openDatabase({ url });
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      await drop();
    };
    return db;
  }
  const pglite = new PGlite('memory://');
  await loadMigrations({ pglite }, extraSql);
  return openDatabase({ pglite });
}

export interface TestApp {
  db: Database;
  /** POST a GraphQL operation in-process; returns the parsed body. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
}

export function testApp(
  db: Database,
  opts: {
    services?: ServicePlugin[];
    /** Who requests without credentials are (default: a directorate analyst; null: nobody, so 401). */
    viewer?: Viewer | null;
    disclosureControl?: boolean;
    access?: AppOptions['access'];
    cache?: AppOptions['cache'];
  } = {},
): TestApp {
  const app = createApp({
    db,
    services: opts.services ?? [],
    defaultViewer: opts.viewer === null ? undefined : (opts.viewer ?? ANALYST),
    disclosureControl: opts.disclosureControl,
    access: opts.access,
    cache: opts.cache,
  });
  const fetchIt = (pathname: string, init?: RequestInit) =>
    Promise.resolve(app.fetch(new Request(`http://cype.test${pathname}`, init)));
  return {
    db,
    fetch: fetchIt,
    async gql(query, variables, headers = {}) {
      const res = await fetchIt('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
  };
}
