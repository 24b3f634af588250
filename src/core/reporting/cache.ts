// The cross-request result cache of the reporting engine. Per request, dataloaders already batch and
// de-duplicate (period-loaders.ts); this keeps what they load (grouped facts per indicator x period,
// published observations, targets, the area, period and catalogue directories, whole responses) across
// requests until a write changes a table it was read from.
//
// Keys are the store's own write counters, so no invalidation message exists to be lost: a statement-level
// trigger raises a table's counter ("TableVersion") in every transaction that writes it, whoever writes
// (an import through any replica, `cype import`, a seed, psql). Each request reads every counter once, in
// one statement at its first use of the cache (the same counters materialised figures are checked
// against, snapshots.ts), and an entry's key embeds the counters of the tables it reads (every counter
// for entries whose tables are unknown) and the identity of the database. A write committed before a
// request starts changes its keys; one committed during a request shows from the next. Old entries are
// never read again and age out (LRU and TTL).
//
// Stores: entries live in a byte-bounded LRU in this process and, with REDIS_URL, in Redis with a TTL,
// shared by every API replica (a key's content never changes, so the local copy is as good as Redis's).
// A Redis that does not answer within its timeout is passed over (src/core/redis.ts): entries are then
// served from this process's memory or computed, never stale since keys come from the database.
//
// Disclosure control is NOT a key dimension, on purpose: entries hold raw counts as the database returned
// them, identical for every viewer; suppression (area-figures.ts, disclosure.ts) is applied after the cache, on
// every request that asks for it. Nothing suppressed or unsuppressed is ever stored.
import { createHash } from 'node:crypto';
import { parsePeriod } from '../period-codes.js';
import { connectRedis, type RedisLink, type RedisLinkOptions } from '../redis.js';
import { type FactsNeed, groupedFactsSql } from './facts.js';
import type { IndicatorDefinition } from './types.js';

/** The tables an entry was read from; `ALL` when unknown (changed by a write to any table). */
export type TableSet = readonly string[] | 'ALL';

/** The store's write counters at one moment, and the identity of the database that keeps them. */
export interface StoreCounters {
  /** Tells one database apart from another (a new database, a restored one) whose counters could be equal. */
  identity: string;
  /** Every table's write counter, as text; a table never written has none (counts as 0). */
  tables: ReadonlyMap<string, string>;
}

export interface ResultCacheOptions {
  /** Off: every request reads the database (default on; CYPE_CACHE=off turns it off). */
  enabled?: boolean;
  /** Redis shared by every replica (default REDIS_URL; null = this process only). */
  redisUrl?: string | null;
  /** Command timeout and retry pause of Redis (default CYPE_REDIS_TIMEOUT_MS, CYPE_REDIS_RETRY_MS). */
  redis?: RedisLinkOptions;
  /** Prefix of every Redis key (default CYPE_CACHE_PREFIX or `cype:cache:`). */
  prefix?: string;
  /** Bound of the in-process LRU, in bytes of serialised entries (default CYPE_CACHE_MAX_MB = 32 MB). */
  maxBytes?: number;
  /** Lifetime of an entry: frees memory; correctness never depends on it (default 3,600 s). */
  ttlSeconds?: number;
}

export interface ResultCacheStats {
  /** Entries served from this process's memory. */
  hits: number;
  /** Entries served from Redis (then kept in memory). */
  sharedHits: number;
  /** Entries computed from the database. */
  misses: number;
  /** Requests that ran uncached because the counters could not be read, and Redis failures. */
  errors: number;
  entries: number;
  bytes: number;
}

/** One request's view of the cache: the write counters are read once, so a request sees one state. */
export interface RequestCache {
  /**
   * Wraps a dataloader batch function: keys found in the cache are served from it, the rest are computed
   * by `batch` (in one call) and stored. Errors are returned, never stored.
   */
  batch<V>(
    namespace: string,
    tablesOf: (key: string) => TableSet,
    load: (keys: readonly string[]) => Promise<(V | Error)[]>,
    variantOf?: (key: string) => string,
  ): (keys: readonly string[]) => Promise<(V | Error)[]>;
  /**
   * One value read through the cache under `key`, unbatched: served while none of `tables` changed, else
   * computed and stored only when `keep(value)` says so. A computation in flight is never shared with
   * another request (what it returns may be for its own caller only: `keep` decides after the fact).
   */
  once<V>(
    namespace: string,
    key: string,
    tables: TableSet,
    compute: () => Promise<V>,
    keep: (value: V) => boolean,
  ): Promise<V>;
  /** The write counters this request's entries are keyed by (read at most once); null when uncached. */
  tableVersions(): Promise<ReadonlyMap<string, string> | null>;
}

export interface ResultCache {
  readonly kind: 'off' | 'memory' | 'redis';
  /** A view for one request, keyed by the counters `counters` reads (once, at the request's first use). */
  forRequest(counters: () => Promise<StoreCounters>): RequestCache;
  /** Resolves once the shared store answers (tests, start-up); at once without Redis. */
  ready(): Promise<void>;
  stats(): ResultCacheStats;
  close(): Promise<void>;
}

/** Serialised (JSON) size; objects in memory take a few times that. */
export const DEFAULT_CACHE_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CACHE_TTL_SECONDS = 3600;
/** Bump when the shape of a cached value or of a key changes, so a rolling deploy never reads the old shape. */
const FORMAT = 2;

export function cacheOptionsFromEnv(env: Record<string, string | undefined> = process.env): ResultCacheOptions {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!(n >= 0)) throw new Error(`${name} must be a number of at least 0; got "${raw}"`);
    return n;
  };
  return {
    enabled: env.CYPE_CACHE !== 'off',
    redisUrl: env.REDIS_URL || null,
    prefix: env.CYPE_CACHE_PREFIX || 'cype:cache:',
    maxBytes: number('CYPE_CACHE_MAX_MB', DEFAULT_CACHE_MAX_BYTES / 1024 / 1024) * 1024 * 1024,
    ttlSeconds: number('CYPE_CACHE_TTL_SECONDS', DEFAULT_CACHE_TTL_SECONDS),
  };
}
// ---- What an indicator's facts depend on -----------------------------------------------------------

/** Tables the engine's grouped statement joins itself, around every indicator's facts (facts.ts). */
export const ENGINE_TABLES = ['Area', 'Person', 'PersonCharacteristic', 'Period'] as const;

/** The tables an indicator's grouped facts read: its declared `tables` and the engine's; `ALL` when undeclared. */
export function factsTables(def: Pick<IndicatorDefinition, 'tables'> | undefined): TableSet {
  return def?.tables ? [...def.tables, ...ENGINE_TABLES] : 'ALL';
}

/** A short digest of a statement's text and parameters (cache key variants). */
export function statementDigest(sql: { sql: string; values: unknown[] }): string {
  return createHash('sha1').update(sql.sql).update(encode(sql.values)).digest('base64url').slice(0, 12);
}

const variants = new WeakMap<IndicatorDefinition, Map<string, string>>();
/** A digest of the exact statement (text and parameters) that computes an indicator x period (x dimensions). */
export function factsVariant(
  def: IndicatorDefinition | undefined,
  periodCode: string,
  need: FactsNeed = 'ALL',
): string {
  if (!def?.facts) return '';
  let byPeriod = variants.get(def);
  if (!byPeriod) {
    byPeriod = new Map();
    variants.set(def, byPeriod);
  }
  const key = `${periodCode}|${need === 'ALL' ? '*' : [...need].sort().join(',')}`;
  let v = byPeriod.get(key);
  if (v === undefined) {
    try {
      v = statementDigest(groupedFactsSql(def, parsePeriod(periodCode), need));
    } catch {
      v = ''; // an invalid period fails in the statement itself, uncached
    }
    byPeriod.set(key, v);
  }
  return v;
}

// ---- Serialisation: JSON with Maps and Dates (Prisma rows carry Dates; grouped facts are nested Maps) ----

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Date) return { $d: raw.toISOString() };
    if (v instanceof Map) return { $m: [...v.entries()] };
    return v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if ('$m' in v && Array.isArray(v.$m)) return new Map(v.$m);
      if ('$d' in v && typeof v.$d === 'string') return new Date(v.$d);
    }
    return v;
  }) as T;
}

// ---- The in-process LRU ------------------------------------------------------------------------------

interface Entry {
  value: unknown;
  bytes: number;
  expiresAt: number;
}

class Lru {
  private map = new Map<string, Entry>();
  bytes = 0;
  constructor(
    private maxBytes: number,
    private ttlMs: number,
  ) {}
  get size() {
    return this.map.size;
  }
  get(key: string): { value: unknown } | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    if (e.expiresAt <= Date.now()) {
      this.bytes -= e.bytes;
      return undefined;
    }
    this.map.set(key, e); // most recently used last
    return { value: e.value };
  }
  set(key: string, value: unknown, bytes: number) {
    if (bytes > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.map.delete(key);
    }
    this.map.set(key, { value, bytes, expiresAt: Date.now() + this.ttlMs });
    this.bytes += bytes;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
    }
  }
  clear() {
    this.map.clear();
    this.bytes = 0;
  }
}

// ---- Keys and the shared store -----------------------------------------------------------------------

/** An entry's key: what it is, the statement variant, the database, and the counters of the tables it read. */
function versionedKey(namespace: string, key: string, variant: string, tables: TableSet, c: StoreCounters): string {
  const names = tables === 'ALL' ? [...c.tables.keys()] : [...new Set(tables)];
  const stamp = names
    .sort()
    .map((t) => `${t}=${c.tables.get(t) ?? '0'}`)
    .join(',');
  return `${FORMAT}:${namespace}:${key}${variant ? `#${variant}` : ''}@${c.identity}:${stamp}`;
}

/** Entries shared by every process (Redis), or by none. */
interface Store {
  kind: 'memory' | 'redis';
  /** Shared entries; undefined for a miss (and for everything while Redis is passed over). */
  getShared(keys: string[]): Promise<(string | undefined)[]>;
  setShared(entries: [string, string][]): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

function memoryStore(): Store {
  return {
    kind: 'memory',
    getShared: async (keys) => keys.map(() => undefined),
    setShared: async () => {},
    ready: async () => {},
    close: async () => {},
  };
}

function redisStore(link: RedisLink, prefix: string, ttlSeconds: number, onError: () => void): Store {
  const guarded = <T>(command: () => Promise<T>, fallback: T) =>
    link.run(async () => {
      try {
        return await command();
      } catch (e) {
        onError();
        throw e;
      }
    }, fallback);
  return {
    kind: 'redis',
    async getShared(keys) {
      if (!keys.length) return [];
      const missed: (string | null)[] = keys.map(() => null);
      const found = await guarded(() => link.client.mget(keys.map((k) => prefix + k)), missed);
      return found.map((v) => v ?? undefined);
    },
    async setShared(entries) {
      if (!entries.length) return;
      await guarded(async () => {
        const m = link.client.multi();
        for (const [k, v] of entries) m.set(prefix + k, v, 'EX', Math.max(1, Math.round(ttlSeconds)));
        await m.exec();
      }, undefined);
    },
    ready: () => link.ready(),
    close: () => link.close(),
  };
}
// ---- The cache ---------------------------------------------------------------------------------------

/** Every read goes to the database. */
export const UNCACHED: RequestCache = {
  batch: (_n, _t, load) => load,
  once: (_n, _k, _t, compute) => compute(),
  tableVersions: async () => null,
};

type Stats = Omit<ResultCacheStats, 'entries' | 'bytes'>;

/** What every request of one cache shares: the local LRU, the store, the counts, and computations in flight. */
interface Layers {
  lru: Lru;
  store: Store;
  stats: Stats;
  /** Concurrent requests missing the same entry compute it once (a cold dashboard under load). */
  inflight: Map<string, Promise<unknown>>;
}

/** The cache with `enabled: false`: every request reads the database. */
function disabledCache(stats: Stats): ResultCache {
  return {
    kind: 'off',
    forRequest: () => UNCACHED,
    ready: async () => {},
    stats: () => ({ ...stats, entries: 0, bytes: 0 }),
    close: async () => {},
  };
}

/** An entry kept in this process's memory, counted as a hit; undefined when absent. */
function fromMemory<V>(layers: Layers, key: string): { value: V } | undefined {
  const local = layers.lru.get(key);
  if (!local) return undefined;
  layers.stats.hits++;
  return { value: local.value as V };
}

/**
 * Entries of `keys` found in the shared store (Redis), decoded and kept in memory too; undefined for a miss
 * or an entry that cannot be decoded (computed again). Nothing to ask without Redis.
 */
async function fromShared<V>(layers: Layers, keys: string[]): Promise<({ value: V } | undefined)[]> {
  if (!keys.length || layers.store.kind !== 'redis') return keys.map(() => undefined);
  const found = await layers.store.getShared(keys);
  return keys.map((key, i) => {
    const text = found[i];
    if (text === undefined) return undefined;
    try {
      const value = decode<V>(text);
      layers.lru.set(key, value, text.length);
      layers.stats.sharedHits++;
      return { value };
    } catch {
      return undefined;
    }
  });
}

/** Keeps computed values in memory and, with Redis, in the shared store (errors are never kept). */
async function keep(layers: Layers, entries: [key: string, value: unknown][]): Promise<void> {
  const shared: [string, string][] = [];
  for (const [key, value] of entries) {
    const text = encode(value);
    layers.lru.set(key, value, text.length);
    if (layers.store.kind === 'redis') shared.push([key, text]);
  }
  await layers.store.setShared(shared);
}

/**
 * Runs `load` for the missed keys (one call), publishing each key's computation as in flight until it
 * settles, so concurrent requests wait for it instead of computing it again; keeps what succeeded.
 */
async function computeMissed<V>(
  layers: Layers,
  missed: { key: string; full: string }[],
  load: (keys: readonly string[]) => Promise<(V | Error)[]>,
): Promise<(V | Error)[]> {
  layers.stats.misses += missed.length;
  const computing = load(missed.map((m) => m.key));
  missed.forEach(({ full }, j) => {
    const one = computing.then((values) => {
      const value = values[j];
      if (value instanceof Error) throw value;
      return value;
    });
    one.catch(() => {}); // awaited by the caller and by any waiter
    layers.inflight.set(full, one);
  });
  try {
    const values = await computing;
    await keep(
      layers,
      missed.flatMap(({ full }, j) => (values[j] instanceof Error ? [] : [[full, values[j]] as [string, unknown]])),
    );
    return values;
  } finally {
    for (const { full } of missed) layers.inflight.delete(full);
  }
}

/** RequestCache.once over a request's counters: memory, then Redis, then computed (kept only if `keep` says so). */
async function onceThrough<V>(
  layers: Layers,
  counters: StoreCounters,
  namespace: string,
  key: string,
  tables: TableSet,
  compute: () => Promise<V>,
  keepIf: (value: V) => boolean,
): Promise<V> {
  const full = versionedKey(namespace, key, '', tables, counters);
  const found = fromMemory<V>(layers, full) ?? (await fromShared<V>(layers, [full]))[0];
  if (found) return found.value;
  layers.stats.misses++;
  const value = await compute();
  if (keepIf(value)) await keep(layers, [[full, value]]);
  return value;
}

/**
 * RequestCache.batch over a request's counters: each key from memory, else from a computation in flight,
 * else from Redis; the rest computed in one call to `load`.
 */
async function batchThrough<V>(
  layers: Layers,
  counters: StoreCounters,
  namespace: string,
  keys: readonly string[],
  tablesOf: (key: string) => TableSet,
  load: (keys: readonly string[]) => Promise<(V | Error)[]>,
  variantOf?: (key: string) => string,
): Promise<(V | Error)[]> {
  const full = keys.map((k) => versionedKey(namespace, k, variantOf?.(k) ?? '', tablesOf(k), counters));
  const out: (V | Error | undefined)[] = keys.map(() => undefined);
  const waiting: Promise<void>[] = [];
  let remote: number[] = [];
  full.forEach((key, i) => {
    const local = fromMemory<V>(layers, key);
    if (local) {
      out[i] = local.value;
      return;
    }
    const running = layers.inflight.get(key);
    if (running) {
      waiting.push(
        running.then(
          (value) => {
            out[i] = value as V;
          },
          (e: Error) => {
            out[i] = e;
          },
        ),
      );
      return;
    }
    remote.push(i);
  });
  // Redis next, for what this process does not hold (no await otherwise: the misses must be in flight
  // before a concurrent request of the same tick looks for them).
  if (remote.length && layers.store.kind === 'redis') {
    const shared = await fromShared<V>(
      layers,
      remote.map((i) => full[i]),
    );
    remote = remote.filter((i, j) => {
      const found = shared[j];
      if (found) out[i] = found.value;
      return !found;
    });
  }
  if (remote.length) {
    const values = await computeMissed(
      layers,
      remote.map((i) => ({ key: keys[i], full: full[i] })),
      load,
    );
    remote.forEach((i, j) => {
      out[i] = values[j];
    });
  }
  await Promise.all(waiting);
  return out as (V | Error)[];
}

/**
 * One request's view: the counters are read at its first use, once, and every entry is keyed by them.
 * Counters that cannot be read (the database does not answer) leave the request uncached.
 */
function requestView(layers: Layers, read: () => Promise<StoreCounters>): RequestCache {
  let counters: Promise<StoreCounters | null> | undefined;
  const current = () => {
    counters ??= read().catch(() => {
      layers.stats.errors++;
      return null;
    });
    return counters;
  };
  return {
    async once(namespace, key, tables, compute, keepIf) {
      const c = await current();
      return c ? onceThrough(layers, c, namespace, key, tables, compute, keepIf) : compute();
    },
    batch(namespace, tablesOf, load, variantOf) {
      return async (keys) => {
        const c = await current();
        return c ? batchThrough(layers, c, namespace, keys, tablesOf, load, variantOf) : load(keys);
      };
    },
    tableVersions: async () => (await current())?.tables ?? null,
  };
}

export function createResultCache(options: ResultCacheOptions = cacheOptionsFromEnv()): ResultCache {
  const o = { ...cacheOptionsFromEnv({}), ...options };
  const stats: Stats = { hits: 0, sharedHits: 0, misses: 0, errors: 0 };
  if (!o.enabled) return disabledCache(stats);
  const ttlSeconds = o.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  const store = o.redisUrl
    ? redisStore(connectRedis(o.redisUrl, o.redis), o.prefix ?? 'cype:cache:', ttlSeconds, () => stats.errors++)
    : memoryStore();
  const layers: Layers = {
    lru: new Lru(o.maxBytes ?? DEFAULT_CACHE_MAX_BYTES, ttlSeconds * 1000),
    store,
    stats,
    inflight: new Map(),
  };
  return {
    kind: store.kind,
    forRequest: (read) => requestView(layers, read),
    ready: () => store.ready(),
    stats: () => ({ ...stats, entries: layers.lru.size, bytes: layers.lru.bytes }),
    close: () => store.close(),
  };
}
