// Opens the one shared store: Prisma over embedded PGlite (default, data in a folder) or PostgreSQL
// (DATABASE_URL). Same schema and migrations on both. Also guards a PGlite folder against a second
// process: PGlite is single-process, and two writers would corrupt it.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';
import { deployMigrations, type MigrationTarget, needsDeploy } from './migrate.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** The client a seed, an import check or an import write is handed: a transaction of the store. */
export type Tx = Prisma.TransactionClient;

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Human description for logs: the folder or the server (without password). */
  where: string;
  /** Where migrations are applied for this database. */
  migrationTarget: MigrationTarget;
  /** SQL statements issued through Prisma since open (tests and the benchmark read it). */
  readonly sqlCount: number;
  /** Every SQL statement issued, while recording is on (tests); the replica's are marked `[replica]`. */
  recorded: string[] | null;
  /**
   * A streaming read replica of the PostgreSQL store (DATABASE_REPLICA_URL), or null. Reporting reads go
   * to it only for figures whose tables it has fully replayed (src/core/reporting/replica-routing.ts).
   */
  replica: PrismaClient | null;
  /**
   * Resolves once the database answers `SELECT 1` through a connection of its own (not the request pool,
   * so it answers while every pooled connection is busy); rejects after `timeoutMs`. On PGlite, which
   * runs one statement at a time, it waits for the statement running.
   */
  healthCheck(timeoutMs: number): Promise<void>;
  /** The statement timeout of this database's pooled connections, in ms (0: none; PGlite: never enforced). */
  readonly statementTimeoutMs: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgresql://… ; when absent, embedded PGlite. */
  url?: string;
  /** PGlite data folder; `memory://` for an in-memory database. */
  dataDir?: string;
  /** Apply pending migrations before returning. */
  migrate?: boolean;
  /** Who is opening (written into the lock file, named in the error a second process gets). */
  owner?: string;
  /** Use this already-open PGlite (tests); it is closed with the database. */
  pglite?: PGlite;
  /** A read replica of a PostgreSQL store (default DATABASE_REPLICA_URL; null: none). */
  replicaUrl?: string | null;
  /**
   * PostgreSQL's statement_timeout on every pooled connection, in ms (default CYPE_STATEMENT_TIMEOUT_MS,
   * else none; the server passes the execution time limit): no request's statement holds a connection
   * past it. 0: none. PGlite cannot interrupt a statement, so it has none.
   */
  statementTimeoutMs?: number;
}

/** CYPE_STATEMENT_TIMEOUT_MS, or `fallback` when unset; throws naming the variable when it is not a number. */
export function statementTimeoutFromEnv(
  fallback: number,
  env: Record<string, string | undefined> = process.env,
): number {
  const raw = env.CYPE_STATEMENT_TIMEOUT_MS?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`CYPE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds (0: none); got "${raw}"`);
  }
  return n;
}

function pgClient(connectionString: string, statementTimeoutMs: number): PrismaClient {
  // Reporting queries sort and hash a row per person: room to do it in memory, and no JIT compile
  // (it costs more than it saves on queries of a second or less). CYPE_PG_OPTIONS overrides.
  const options = process.env.CYPE_PG_OPTIONS ?? '-c work_mem=64MB -c jit=off';
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString,
      max: Number(process.env.CYPE_DB_POOL ?? 10),
      options: statementTimeoutMs > 0 ? `${options} -c statement_timeout=${statementTimeoutMs}` : options,
    }),
    log: [{ emit: 'event', level: 'query' }],
  });
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; owner: string; since: string },
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.owner}, since ${holder.since}). ` +
        'PGlite allows one process at a time: stop that process first, or send the import to the running server ' +
        '(GraphQL mutation importFile), or use PostgreSQL through DATABASE_URL.',
    );
    this.name = 'DatabaseLockedError';
  }
}

export function defaultDataDir(): string {
  return path.resolve(process.env.CYPE_DATA_DIR ?? '.data');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock file, or throws DatabaseLockedError naming the live holder. */
export function lockDataDir(dataDir: string, owner: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'cype.lock');
  const mine = JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        try {
          if (JSON.parse(fs.readFileSync(file, 'utf8')).pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid: number; owner: string; since: string } | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && pidAlive(holder.pid)) throw new DatabaseLockedError(dataDir, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const url = opts.pglite ? undefined : (opts.url ?? process.env.DATABASE_URL);
  let sqlCount = 0;
  let recorded: string[] | null = null;
  let prisma: PrismaClient;
  let kind: DatabaseKind;
  let where: string;
  let migrationTarget: MigrationTarget;
  let closeExtra: () => Promise<void>;
  let replica: PrismaClient | null = null;
  let healthCheck: (timeoutMs: number) => Promise<void>;
  const statementTimeoutMs = opts.statementTimeoutMs ?? statementTimeoutFromEnv(0);

  if (url && /^postgres(ql)?:\/\//.test(url)) {
    kind = 'postgres';
    const u = new URL(url);
    u.password = '';
    where = `PostgreSQL ${u.host}${u.pathname}`;
    migrationTarget = { url };
    if (opts.migrate && (await needsDeploy(migrationTarget))) await deployMigrations({ target: migrationTarget });
    prisma = pgClient(url, statementTimeoutMs);
    const health = healthConnection(url);
    healthCheck = health.check;
    const replicaUrl = opts.replicaUrl === undefined ? process.env.DATABASE_REPLICA_URL || null : opts.replicaUrl;
    if (replicaUrl) {
      if (!/^postgres(ql)?:\/\//.test(replicaUrl)) {
        throw new Error(`DATABASE_REPLICA_URL must start with postgresql://; got "${replicaUrl.split(':')[0]}:…"`);
      }
      replica = pgClient(replicaUrl, statementTimeoutMs);
    }
    closeExtra = async () => {
      await replica?.$disconnect();
      await health.close();
    };
  } else if (url && !url.startsWith('pglite:')) {
    throw new Error(`DATABASE_URL must start with postgresql:// (or pglite:<folder>); got "${url.split(':')[0]}:…"`);
  } else if (opts.pglite) {
    kind = 'pglite';
    const pglite = opts.pglite;
    where = 'PGlite (in memory)';
    migrationTarget = { pglite };
    if (opts.migrate && (await needsDeploy(migrationTarget))) await deployMigrations({ target: migrationTarget });
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), log: [{ emit: 'event', level: 'query' }] });
    healthCheck = pgliteHealth(pglite);
    closeExtra = () => pglite.close();
  } else {
    kind = 'pglite';
    const dir = url?.startsWith('pglite:') ? url.slice('pglite:'.length) : (opts.dataDir ?? defaultDataDir());
    const inMemory = dir.startsWith('memory://');
    const unlock = inMemory ? () => {} : lockDataDir(dir, opts.owner ?? process.argv.slice(1).join(' '));
    where = inMemory ? 'PGlite (in memory)' : `PGlite in ${dir}`;
    let pglite: PGlite;
    try {
      pglite = new PGlite(inMemory ? 'memory://' : path.join(dir, 'pgdata'));
      await pglite.waitReady;
      migrationTarget = { pglite };
      if (opts.migrate && (await needsDeploy(migrationTarget))) await deployMigrations({ target: migrationTarget });
    } catch (e) {
      unlock();
      throw e;
    }
    prisma = new PrismaClient({
      adapter: new PrismaPGlite(pglite),
      log: [{ emit: 'event', level: 'query' }],
    });
    healthCheck = pgliteHealth(pglite);
    closeExtra = async () => {
      try {
        await pglite.close();
      } finally {
        unlock();
      }
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: $on's type depends on the client's log options generic.
  (prisma as any).$on('query', (e: { query: string }) => {
    sqlCount++;
    recorded?.push(e.query);
  });
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  (replica as any)?.$on('query', (e: { query: string }) => {
    sqlCount++;
    recorded?.push(`[replica] ${e.query}`);
  });

  let closed = false;
  return {
    prisma,
    replica,
    kind,
    where,
    migrationTarget,
    healthCheck: (timeoutMs) => (closed ? Promise.reject(new Error('the database is closed')) : healthCheck(timeoutMs)),
    statementTimeoutMs: kind === 'postgres' ? statementTimeoutMs : 0,
    get sqlCount() {
      return sqlCount;
    },
    get recorded() {
      return recorded;
    },
    set recorded(v) {
      recorded = v;
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await closeExtra();
    },
  };
}

/** `promise`, or a rejection naming the wait after `timeoutMs`. */
function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The health check's own PostgreSQL connection, opened at the first check and kept; dropped after a
 * failure (the next check opens a new one), so a busy request pool never delays it.
 */
function healthConnection(url: string): { check: (timeoutMs: number) => Promise<void>; close: () => Promise<void> } {
  let client: Promise<pg.Client> | undefined;
  const drop = (c: Promise<pg.Client> | undefined) => {
    if (client === c) client = undefined;
    c?.then((open) => open.end()).catch(() => {});
  };
  return {
    async check(timeoutMs) {
      if (!client) {
        const opening = (async () => {
          // Longer than the check's own wait, so a check that times out says so in its own words.
          const c = new pg.Client({
            connectionString: url,
            connectionTimeoutMillis: 2 * timeoutMs,
            statement_timeout: timeoutMs,
          });
          c.on('error', () => drop(opening));
          await c.connect();
          return c;
        })();
        client = opening;
      }
      const mine = client;
      try {
        await within(
          mine.then((c) => c.query('SELECT 1')),
          timeoutMs,
        );
      } catch (e) {
        drop(mine);
        throw e;
      }
    },
    async close() {
      const c = client;
      client = undefined;
      await c?.then((open) => open.end()).catch(() => {});
    },
  };
}

/** PGlite has one connection and runs one statement at a time: the check waits for the running one. */
function pgliteHealth(pglite: PGlite): (timeoutMs: number) => Promise<void> {
  return async (timeoutMs) => {
    await within(pglite.query('SELECT 1'), timeoutMs);
  };
}
