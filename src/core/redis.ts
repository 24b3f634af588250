// One guarded connection to Redis per URL and process, shared by the result cache (src/core/reporting/
// cache.ts), the rate limiter (src/core/access/limits.ts) and /healthz (src/app.ts). Redis is an
// accelerator, never a dependency: a Redis that does not answer within a short timeout is passed over.
//
// - No offline queue: a command while the connection is not ready fails at once instead of waiting.
// - A command timeout (CYPE_REDIS_TIMEOUT_MS, default 200 ms): a Redis that accepts connections but does
//   not answer (a paused process, a full network buffer) costs a request at most that long.
// - A circuit: after a failure Redis is not asked for CYPE_REDIS_RETRY_MS (default 5 s), and a connection
//   left with an unanswered command is dropped and opened again (what is queued behind it would wait too);
//   it is asked again once it answers its ready check and the pause is over.
// Meanwhile the cache serves from this process's memory or the database, and rate limits are counted per
// process: slower, never stale, nothing fails.
import { Redis } from 'ioredis';

export interface RedisLinkOptions {
  /** How long a command may take before Redis is passed over (default CYPE_REDIS_TIMEOUT_MS, 200 ms). */
  timeoutMs?: number;
  /** How long Redis is passed over after a failure (default CYPE_REDIS_RETRY_MS, 5,000 ms). */
  retryAfterMs?: number;
}

export const DEFAULT_REDIS_TIMEOUT_MS = 200;
export const DEFAULT_REDIS_RETRY_MS = 5_000;

export function redisOptionsFromEnv(env: Record<string, string | undefined> = process.env): Required<RedisLinkOptions> {
  const number = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${name} must be a whole number of milliseconds, at least 1; got "${raw}"`);
    return n;
  };
  return {
    timeoutMs: number('CYPE_REDIS_TIMEOUT_MS', DEFAULT_REDIS_TIMEOUT_MS),
    retryAfterMs: number('CYPE_REDIS_RETRY_MS', DEFAULT_REDIS_RETRY_MS),
  };
}

export interface RedisLink {
  readonly url: string;
  /** The connection; ask `usable()` before sending it a command, and report failures with `failed`. */
  readonly client: Redis;
  /** Whether to ask Redis now: connected and ready, and no failure within the last retry pause. */
  usable(): boolean;
  /** Records a command that failed or did not answer in time: Redis is passed over for the retry pause. */
  failed(error: unknown): void;
  /** `command` when Redis is usable and answers in time; `fallback` otherwise (the failure is recorded). */
  run<T>(command: (client: Redis) => Promise<T>, fallback: T): Promise<T>;
  /** For /healthz: `up` when Redis answers a PING within the timeout now, else `down`. */
  state(): Promise<'up' | 'down'>;
  /** Resolves once Redis is ready (tests, start-up); rejects after `timeoutMs` (default 5 s; Infinity: never). */
  ready(timeoutMs?: number): Promise<void>;
  /** Releases this holder's use; the connection closes when its last holder releases it. */
  close(): Promise<void>;
}

interface Shared {
  client: Redis;
  holders: number;
  /** Redis is not asked before this time (ms since the epoch). */
  pausedUntil: number;
}

const links = new Map<string, Shared>();

const isTimeout = (e: unknown) => /timed? ?out/i.test((e as Error | undefined)?.message ?? '');

/** A holder of the process's guarded connection to `url` (opened on first use). */
export function connectRedis(url: string, options: RedisLinkOptions = {}): RedisLink {
  const o = { ...redisOptionsFromEnv(), ...options };
  const id = `${url} ${o.timeoutMs} ${o.retryAfterMs}`;
  let shared = links.get(id);
  if (!shared) {
    const client = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: o.timeoutMs,
      connectTimeout: Math.max(1_000, o.timeoutMs),
      maxRetriesPerRequest: 0,
      // Keep trying, at most every 2 s, for as long as the process runs.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    client.on('error', () => {
      // Reconnects by itself; meanwhile Redis is passed over.
    });
    shared = { client, holders: 0, pausedUntil: 0 };
    links.set(id, shared);
  }
  const s = shared;
  s.holders++;
  let closed = false;
  const link: RedisLink = {
    url,
    client: s.client,
    usable: () => s.client.status === 'ready' && Date.now() >= s.pausedUntil,
    failed(error) {
      s.pausedUntil = Date.now() + o.retryAfterMs;
      // Replies to the unanswered command would come before any later one's: start a new connection.
      if (isTimeout(error) && s.client.status === 'ready') s.client.disconnect(true);
    },
    async run(command, fallback) {
      if (!link.usable()) return fallback;
      try {
        return await command(s.client);
      } catch (e) {
        link.failed(e);
        return fallback;
      }
    },
    async state() {
      if (s.client.status !== 'ready') return 'down';
      try {
        return (await s.client.ping()) === 'PONG' ? 'up' : 'down';
      } catch (e) {
        link.failed(e);
        return 'down';
      }
    },
    ready: (timeoutMs = 5_000) =>
      s.client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const onReady = () => {
              clearTimeout(timer);
              resolve();
            };
            const timer = Number.isFinite(timeoutMs)
              ? setTimeout(() => {
                  s.client.off('ready', onReady);
                  reject(new Error(`Redis at ${url} did not answer within ${timeoutMs / 1000} s`));
                }, timeoutMs)
              : undefined;
            s.client.once('ready', onReady);
          }),
    async close() {
      if (closed) return;
      closed = true;
      if (--s.holders > 0) return;
      links.delete(id);
      await s.client.quit().catch(() => s.client.disconnect());
    },
  };
  return link;
}
