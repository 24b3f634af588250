// The abuse limits, in one place (the README's "Access control and limits" quotes these numbers), and the
// per-key rate limiter: in memory, or in Redis when REDIS_URL is set so every API replica shares one count.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { connectRedis } from '../redis.js';
import type { Role } from './viewer.js';

export interface Limits {
  /** Nesting of fields, leaves included, fragments flattened (Armor max-depth). The deepest operation is 7. */
  maxDepth: number;
  /** Aliased fields in one operation (Armor max-aliases). */
  maxAliases: number;
  /** Armor's cost: 2 per object and 1 per scalar field, times 1.5 per level of depth. Operations cost ≤ 1,900. */
  maxCost: number;
  /** Lexical tokens in a document (Armor max-tokens): bounds parsing work. */
  maxTokens: number;
  maxDirectives: number;
  /** A JSON or GET GraphQL request (document + variables). */
  maxJsonBodyBytes: number;
  /** Any request, including a CSV upload to importFile. */
  maxRequestBodyBytes: number;
  /** Execution time of one operation, after which the caller gets an error (HTTP 503). */
  executionTimeoutMs: number;
  /** Requests per window per credential (per client address without one), by role. */
  ratePerWindow: Record<Role, number>;
  rateWindowSeconds: number;
  /** Failed authentications per window per client address, before 429: slows down key guessing. */
  authFailuresPerWindow: number;
  /** Cells (codes × areas × periods) of one CSV export; more is refused (400) naming the limit. */
  maxExportCells: number;
  /** Cells of a CSV export that count as one request against the rate limit (rounded up, at least one). */
  exportCellsPerRequest: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 10,
  maxAliases: 30,
  maxCost: 5000,
  maxTokens: 2000,
  maxDirectives: 20,
  maxJsonBodyBytes: 256 * 1024,
  maxRequestBodyBytes: 50 * 1024 * 1024,
  executionTimeoutMs: 30_000,
  ratePerWindow: { DIRECTORATE_ANALYST: 600, SERVICE_ANALYST: 600, PARTNER: 120, PUBLIC: 60 },
  rateWindowSeconds: 60,
  authFailuresPerWindow: 20,
  maxExportCells: 5_000,
  exportCellsPerRequest: 100,
};

/** What the environment may set over DEFAULT_LIMITS for the CSV export. */
export type ExportLimits = Pick<Limits, 'maxExportCells' | 'exportCellsPerRequest'>;

/**
 * CSV export limits from the environment, over DEFAULT_LIMITS: `CYPE_EXPORT_MAX_CELLS` and
 * `CYPE_EXPORT_CELLS_PER_REQUEST`. Throws naming the variable.
 */
export function exportLimitsFromEnv(env: Record<string, string | undefined> = process.env): Partial<ExportLimits> {
  const out: Partial<ExportLimits> = {};
  const read = (name: string): number | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number, at least 1; got "${v}"`);
    return n;
  };
  const max = read('CYPE_EXPORT_MAX_CELLS');
  if (max !== undefined) out.maxExportCells = max;
  const per = read('CYPE_EXPORT_CELLS_PER_REQUEST');
  if (per !== undefined) out.exportCellsPerRequest = per;
  return out;
}

/** What the environment may set over DEFAULT_LIMITS: the window, and some roles' allowances. */
export type RateLimitsOverride = Partial<Pick<Limits, 'rateWindowSeconds'>> & {
  ratePerWindow?: Partial<Limits['ratePerWindow']>;
};

/**
 * Rate limits from the environment, over DEFAULT_LIMITS: `CYPE_RATE_LIMITS` (requests per window by role,
 * e.g. `PARTNER=120,PUBLIC=30`; roles not named keep their default) and `CYPE_RATE_WINDOW_SECONDS`.
 * Throws naming the variable and the bad part.
 */
export function rateLimitsFromEnv(env: Record<string, string | undefined> = process.env): RateLimitsOverride {
  const out: RateLimitsOverride = {};
  const window = env.CYPE_RATE_WINDOW_SECONDS?.trim();
  if (window) {
    const n = Number(window);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`CYPE_RATE_WINDOW_SECONDS must be a whole number of seconds, at least 1; got "${window}"`);
    }
    out.rateWindowSeconds = n;
  }
  const rates = env.CYPE_RATE_LIMITS?.trim();
  if (rates) {
    const roles = Object.keys(DEFAULT_LIMITS.ratePerWindow) as (keyof Limits['ratePerWindow'])[];
    out.ratePerWindow = {};
    for (const part of rates.split(',')) {
      const [role, value, extra] = part.split('=').map((x) => x.trim());
      const n = Number(value);
      if (!roles.includes(role as (typeof roles)[number]) || extra !== undefined || !Number.isInteger(n) || n < 1) {
        throw new Error(
          `CYPE_RATE_LIMITS must be ROLE=requests pairs separated by commas (roles: ${roles.join(', ')}; ` +
            `requests a whole number, at least 1); got "${part.trim()}"`,
        );
      }
      out.ratePerWindow[role as (typeof roles)[number]] = n;
    }
  }
  return out;
}

/** Prefix of the rate limiter's Redis keys (one per environment sharing a Redis): CYPE_RATE_PREFIX or `cype:`. */
export const ratePrefix = (env: Record<string, string | undefined> = process.env) => env.CYPE_RATE_PREFIX || 'cype:';

export interface RateLimiter {
  /**
   * Takes `cost` requests (default one, at most the whole allowance) from `key`'s allowance of `points` per
   * window; returns the seconds to wait when there is not enough left.
   */
  consume(
    bucket: string,
    key: string,
    points: number,
    cost?: number,
  ): Promise<{ retryAfterSeconds: number } | undefined>;
  /** Resolves once the shared store answers (at once without Redis); until then each process counts alone. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createRateLimiter(windowSeconds: number, redisUrl?: string, prefix = ratePrefix()): RateLimiter {
  // The process's guarded Redis connection (src/core/redis.ts): a Redis that does not answer within its
  // timeout is passed over for a while, and each process then counts in memory.
  const link = redisUrl ? connectRedis(redisUrl) : undefined;
  const limiters = new Map<string, { memory: RateLimiterMemory; shared?: RateLimiterRedis }>();
  const limiter = (bucket: string, points: number) => {
    const name = `${bucket}:${points}`;
    let l = limiters.get(name);
    if (!l) {
      const options = { keyPrefix: `${prefix}${name}`, points, duration: windowSeconds };
      l = {
        memory: new RateLimiterMemory(options),
        shared: link
          ? new RateLimiterRedis({ ...options, storeClient: link.client, rejectIfRedisNotReady: true })
          : undefined,
      };
      limiters.set(name, l);
    }
    return l;
  };
  return {
    async consume(bucket, key, points, cost = 1) {
      const { memory, shared } = limiter(bucket, points);
      const spent = Math.min(Math.max(1, Math.ceil(cost)), points);
      try {
        if (shared && link?.usable()) {
          try {
            await shared.consume(key, spent);
            return undefined;
          } catch (e) {
            if (e instanceof RateLimiterRes) throw e;
            link.failed(e); // counted in memory below, and by every request until Redis is asked again
          }
        }
        await memory.consume(key, spent);
        return undefined;
      } catch (e) {
        if (e instanceof RateLimiterRes) return { retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
        // The store failed and so did memory: serve rather than refuse everyone.
        return undefined;
      }
    },
    ready: async () => {
      await link?.ready(Number.POSITIVE_INFINITY);
    },
    close: async () => {
      await link?.close();
    },
  };
}
