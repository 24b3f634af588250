// The HTTP side of access control, as Yoga plugins in order: authenticate (401) and rate-limit (429) each
// request before its body is read (gate.ts); cap JSON bodies (http.ts); CSRF prevention; partners run
// persisted operations only, from their allow-list (persisted.ts); NUL characters refused and suggestions
// for analysts only (inputs.ts); introspection for analysts only; GraphQL
// Armor's depth, alias, cost, token and directive limits (refused before execution, naming the limit); then
// an execution timeout and the audit of record-level reads (execute.ts). createApp (src/app.ts) spreads
// `plugins` and builds each request's Context with `viewerOf(request)`.

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../../db.js';
import { createAuthenticator } from './authenticate.js';
import { useExecutionGuard } from './execute.js';
import { useGate } from './gate.js';
import { tooMany, useJsonBodyLimit } from './http.js';
import { useInputHygiene } from './inputs.js';
import { createJwtVerifier, type JwtOptions, jwtOptionsFromEnv } from './jwt.js';
import { createRateLimiter, DEFAULT_LIMITS, exportLimitsFromEnv, type Limits, rateLimitsFromEnv } from './limits.js';
import type { PartnerOperation } from './operations.js';
import { usePartnerOperations } from './persisted.js';
import { isAnalyst } from './scopes.js';
import type { Viewer } from './viewer.js';

export { responseKey, UNCACHED_ROOT_FIELDS } from './execute.js';
export { PUBLIC_VIEWER } from './gate.js';

export interface AccessOptions {
  db: Database;
  /** Who a request without credentials is: the embedded demo's analyst. Absent: PUBLIC or 401. */
  defaultViewer?: Viewer;
  /** Requests without credentials read as PUBLIC (default: CYPE_PUBLIC_ACCESS=on). */
  publicAccess?: boolean;
  /** JWT verification (default: from CYPE_JWT_* variables; false = no JWTs). */
  jwt?: JwtOptions | false;
  /** The persisted operations partners may run: core's and the enabled plugins' (loadPartnerOperations). */
  partnerOperations: PartnerOperation[];
  /** Overrides of DEFAULT_LIMITS; rates per role may be given for some roles only. */
  limits?: Partial<Omit<Limits, 'ratePerWindow'>> & { ratePerWindow?: Partial<Limits['ratePerWindow']> };
  /** Redis for the rate limiter shared by every replica (default: REDIS_URL; null = in memory). */
  redisUrl?: string | null;
  now?: () => Date;
}

export interface Access {
  plugins: Plugin[];
  /** The viewer authenticated for this request (set before the body is read). */
  viewerOf(request: Request): Viewer;
  limits: Limits;
  /**
   * Charges a request `cost` requests in all against its credential's rate limit (the gate charged one
   * already): for work that grows with its size, such as the CSV export. Returns the 429 to answer, if any.
   */
  charge(request: Request, cost: number, what: string): Promise<Response | undefined>;
  close(): Promise<void>;
}

/**
 * Defaults, then the environment (CYPE_RATE_LIMITS, CYPE_RATE_WINDOW_SECONDS, CYPE_EXPORT_*), then the
 * caller's options.
 */
export function resolveLimits(overrides: AccessOptions['limits']): Limits {
  const fromEnv = rateLimitsFromEnv();
  return {
    ...DEFAULT_LIMITS,
    ...fromEnv,
    ...exportLimitsFromEnv(),
    ...overrides,
    ratePerWindow: { ...DEFAULT_LIMITS.ratePerWindow, ...fromEnv.ratePerWindow, ...overrides?.ratePerWindow },
  };
}

/** API keys and, when configured, JWTs (options, or the CYPE_JWT_* variables). */
function authenticatorFor(options: AccessOptions, partnerOperations: PartnerOperation[]) {
  const jwtOptions = options.jwt === undefined ? jwtOptionsFromEnv() : options.jwt || undefined;
  const jwt = jwtOptions ? createJwtVerifier(jwtOptions) : undefined;
  jwt?.catch(() => {}); // reported on first use
  return createAuthenticator({
    db: options.db,
    jwt: jwt ? async (token) => (await jwt)(token) : undefined,
    partnerOperations,
    now: options.now,
  });
}

/** GraphQL Armor's static limits on a document, checked before execution. */
function armorPlugins(limits: Limits): Plugin[] {
  return new EnvelopArmor({
    // Fragments count as the fields they contain, not as a level of their own.
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    // Suggestions are removed for non-analysts by useInputHygiene, and kept for analysts.
    blockFieldSuggestion: { enabled: false },
  }).protect().plugins as Plugin[];
}

export function createAccess(options: AccessOptions): Access {
  const limits = resolveLimits(options.limits);
  const { partnerOperations } = options;
  const rateLimiter = createRateLimiter(
    limits.rateWindowSeconds,
    options.redisUrl === undefined ? process.env.REDIS_URL || undefined : options.redisUrl || undefined,
  );
  const viewers = new WeakMap<Request, Viewer>();
  const rateKeys = new WeakMap<Request, string>();
  const viewerOf = (request: Request): Viewer => {
    const v = viewers.get(request);
    // Unreachable through Yoga (onRequest runs first); fail closed rather than fall back to a default.
    if (!v)
      throw new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    return v;
  };
  const gate = useGate({
    authenticate: authenticatorFor(options, partnerOperations),
    rateLimiter,
    limits,
    defaultViewer: options.defaultViewer,
    publicAccess: options.publicAccess ?? process.env.CYPE_PUBLIC_ACCESS === 'on',
    viewers,
    rateKeys,
  });
  const charge = async (request: Request, cost: number, what: string) => {
    const key = rateKeys.get(request);
    if (!key || cost <= 1) return undefined;
    const points = limits.ratePerWindow[viewerOf(request).role];
    const limited = await rateLimiter.consume('requests', key, points, cost - 1);
    return limited
      ? tooMany(limited.retryAfterSeconds, `${points} requests per ${limits.rateWindowSeconds} s; ${what}`)
      : undefined;
  };

  return {
    plugins: [
      gate,
      useJsonBodyLimit(limits.maxJsonBodyBytes),
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }) as Plugin,
      usePartnerOperations(partnerOperations, viewerOf),
      useInputHygiene(viewerOf),
      useDisableIntrospection({ isDisabled: (request) => !isAnalyst(viewerOf(request)) }) as Plugin,
      ...armorPlugins(limits),
      useExecutionGuard(options.db, limits),
    ],
    viewerOf,
    limits,
    charge,
    close: () => rateLimiter.close(),
  };
}
