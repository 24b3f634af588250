// The HTTP application: Yoga over the schema, with GraphiQL (example operations as tabs) and /healthz.
// Kept apart from server.ts so tests drive it in-process with `app.fetch(...)`.
// GraphiQL is served from the bundled @graphql-yoga/render-graphiql, not Yoga's default CDN page: the
// machines this runs on reach the npm registry only, and a CDN page would stay blank there.
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { type Context, createContext } from './context.js';
import { loadPartnerOperations, operationFiles } from './core/access/operations.js';
import type { Viewer } from './core/access/viewer.js';
import { type AccessOptions, createAccess } from './core/access/yoga.js';
import { useCsvExport } from './core/ingest/export-http.js';
import type { ServicePlugin } from './core/plugin.js';
import { connectRedis } from './core/redis.js';
import {
  cacheOptionsFromEnv,
  createResultCache,
  type ResultCache,
  type ResultCacheOptions,
} from './core/reporting/cache.js';
import { settleSnapshots } from './core/reporting/snapshots.js';
import type { Database } from './db.js';
import { buildSchema, enabledServices } from './schema.js';

export interface AppOptions {
  db: Database;
  services?: ServicePlugin[];
  /** Viewer for requests without credentials (the embedded demo's first look). */
  defaultViewer?: Viewer;
  graphiqlTitle?: string;
  /** How long /healthz waits for the database before answering 503 (default HEALTH_TIMEOUT_MS). */
  healthTimeoutMs?: number;
  /** Force small-number suppression on or off (default: by the viewer's role). Tests use it both ways. */
  disclosureControl?: boolean;
  /** Access control (src/core/access): public access, JWT, limits, Redis; defaults from the environment. */
  access?: Omit<AccessOptions, 'db' | 'defaultViewer' | 'partnerOperations'>;
  /**
   * Cross-request result cache (src/core/reporting/cache.ts): in memory, or in Redis when REDIS_URL is set;
   * overrides of the options read from the environment. Keyed by the database's write counters: any write,
   * from anywhere, shows in the next request.
   */
  cache?: ResultCacheOptions;
}

/**
 * Example operations, one GraphiQL tab each, by name: core's (`schema/operations/examples/*.graphql`) and
 * the given plugins' (`examples/*.graphql` in each one's `operations` folder).
 */
export function exampleOperations(services: ServicePlugin[]): { name: string; query: string }[] {
  return operationFiles('examples', services).map((e) => ({ name: e.name, query: e.text }));
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** The result cache an app created (tests and the benchmark read its stats). */
export const appResultCache = new WeakMap<App, ResultCache>();

/** How long /healthz waits for the database by default: a server that accepts but never answers hangs a query. */
export const HEALTH_TIMEOUT_MS = 3_000;

function lastLine(message: string): string {
  return (
    message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? message
  );
}

// The bundle is 9 MB of JavaScript: load it on the first GraphiQL request, not at start-up.
let graphiqlRenderer: Promise<(opts: object) => string> | undefined;
async function renderBundledGraphiQL(opts: object): Promise<string> {
  graphiqlRenderer ??= import('@graphql-yoga/render-graphiql').then((m) => m.renderGraphiQL);
  return (await graphiqlRenderer)(opts);
}

export function createApp({
  db,
  services = enabledServices(),
  defaultViewer,
  graphiqlTitle,
  healthTimeoutMs = HEALTH_TIMEOUT_MS,
  disclosureControl,
  access: accessOptions,
  cache: cacheOptions,
}: AppOptions): App {
  const schema = buildSchema(services);
  // Without a default viewer, requests need credentials (or CYPE_PUBLIC_ACCESS=on): see src/core/access.
  const access = createAccess({
    db,
    defaultViewer,
    ...accessOptions,
    partnerOperations: loadPartnerOperations(services),
  });
  const examples = exampleOperations(services);
  const cacheConfig = { ...cacheOptionsFromEnv(), ...cacheOptions };
  const resultCache = createResultCache(cacheConfig);
  // /healthz reports the Redis the cache or the rate limiter uses (one shared connection per process).
  const redisUrl =
    cacheConfig.redisUrl ||
    (accessOptions?.redisUrl === undefined ? process.env.REDIS_URL : accessOptions.redisUrl) ||
    null;
  const redis = redisUrl ? connectRedis(redisUrl, cacheConfig.redis) : null;
  const contextOf = (request: Request) =>
    createContext({ db, services, viewer: access.viewerOf(request), disclosureControl, resultCache });
  const app = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    renderGraphiQL: renderBundledGraphiQL,
    graphiql: {
      title: graphiqlTitle ?? 'CYPE Graph',
      defaultTabs: examples.map((e) => ({ query: e.query })),
      defaultQuery: examples[0]?.query,
    },
    context: ({ request }) => contextOf(request),
    // Never a stack trace or an internal message in a response, whatever NODE_ENV says.
    maskedErrors: { isDev: false },
    maxRequestBodySize: access.limits.maxRequestBodyBytes,
    plugins: [
      {
        onRequest: async ({ request, url, endResponse, fetchAPI }) => {
          if (url.pathname !== '/healthz') return;
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
            return;
          }
          // The database on a connection of its own (db.ts), so a busy pool does not delay the answer; Redis
          // is reported but never fails the check: without it requests run uncached, nothing fails.
          const [database, redisState] = await Promise.all([
            db.healthCheck(healthTimeoutMs).then(
              () => null,
              (e: Error) => e,
            ),
            redis ? redis.state() : ('off' as const),
          ]);
          endResponse(
            database
              ? Response.json(
                  // Prisma's message starts with a multi-line preamble; the cause is on its last line.
                  { status: 'unavailable', error: lastLine(database.message), redis: redisState },
                  { status: 503, headers: { 'cache-control': 'no-store' } },
                )
              : Response.json({ status: 'ok', redis: redisState }, { headers: { 'cache-control': 'no-store' } }),
          );
        },
      },
      ...access.plugins,
      useCsvExport(contextOf, { limits: access.limits, charge: access.charge }),
      {
        onDispose: async () => {
          await settleSnapshots(db);
          await resultCache.close();
          await redis?.close();
        },
      },
    ],
  });
  appResultCache.set(app, resultCache);
  return app;
}
