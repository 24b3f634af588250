// The HTTP side of access control, as Yoga plugins in order: authenticate (401) and rate-limit (429) each
// GraphQL request before its body is read; cap JSON bodies; CSRF prevention; partners run persisted
// operations only, from their allow-list; introspection for analysts only; GraphQL Armor's depth, alias,
// cost, token and directive limits (refused before execution, naming the limit); then an execution
// timeout and the audit of record-level reads. createApp (src/app.ts) spreads `plugins` and builds each
// request's Context with `viewerOf(request)`.

import { createHash } from 'node:crypto';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  getOperationAST,
  Kind,
  print,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../context.js';
import type { Database } from '../../db.js';
import { countRecords, redactVariables, writeAudit } from './audit.js';
import { CredentialError, createAuthenticator } from './authenticate.js';
import { createJwtVerifier, type JwtOptions, jwtOptionsFromEnv } from './jwt.js';
import { createRateLimiter, DEFAULT_LIMITS, type Limits, rateLimitsFromEnv } from './limits.js';
import { documentHash, type PartnerOperation } from './operations.js';
import { isAnalyst } from './scopes.js';
import type { Viewer } from './viewer.js';

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
  close(): Promise<void>;
}

export const PUBLIC_VIEWER: Viewer = { role: 'PUBLIC', services: [], name: 'public', via: 'default' };

function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** GraphiQL's HTML page is served without credentials: it holds no data, and asks with the user's headers. */
function wantsGraphiQL(request: Request, url: URL): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !url.search;
}

function clientAddress(serverContext: unknown): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? 'local';
}

export function createAccess(options: AccessOptions): Access {
  // Defaults, then the environment (CYPE_RATE_LIMITS, CYPE_RATE_WINDOW_SECONDS), then the caller's options.
  const fromEnv = rateLimitsFromEnv();
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    ...fromEnv,
    ...options.limits,
    ratePerWindow: { ...DEFAULT_LIMITS.ratePerWindow, ...fromEnv.ratePerWindow, ...options.limits?.ratePerWindow },
  };
  const publicAccess = options.publicAccess ?? process.env.CYPE_PUBLIC_ACCESS === 'on';
  const { partnerOperations } = options;
  const byHash = new Map(partnerOperations.map((op) => [op.hash, op]));
  const jwtOptions = options.jwt === undefined ? jwtOptionsFromEnv() : options.jwt || undefined;
  const jwt = jwtOptions ? createJwtVerifier(jwtOptions) : undefined;
  jwt?.catch(() => {}); // reported on first use
  const authenticate = createAuthenticator({
    db: options.db,
    jwt: jwt ? async (token) => (await jwt)(token) : undefined,
    partnerOperations,
    now: options.now,
  });
  const rateLimiter = createRateLimiter(
    limits.rateWindowSeconds,
    options.redisUrl === undefined ? process.env.REDIS_URL || undefined : options.redisUrl || undefined,
  );
  const viewers = new WeakMap<Request, Viewer>();
  const viewerOf = (request: Request): Viewer => {
    const v = viewers.get(request);
    // Unreachable through Yoga (onRequest runs first); fail closed rather than fall back to a default.
    if (!v)
      throw new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    return v;
  };

  const gate: Plugin = {
    async onRequest({ request, url, endResponse, serverContext }) {
      // Health checks answer before this hook; everything else here (GraphQL, CSV export) needs a viewer.
      if (request.method === 'OPTIONS' || (url.pathname === '/graphql' && wantsGraphiQL(request, url))) return;
      const address = clientAddress(serverContext);
      const authorization = request.headers.get('authorization');
      let viewer: Viewer;
      if (authorization) {
        try {
          viewer = await authenticate(authorization);
        } catch (e) {
          if (!(e instanceof CredentialError)) {
            endResponse(
              jsonError(
                503,
                'UNAVAILABLE',
                'Credentials cannot be checked right now (the store did not answer); try again.',
              ),
            );
            return;
          }
          const limited = await rateLimiter.consume('auth-failures', address, limits.authFailuresPerWindow);
          if (limited) {
            endResponse(tooMany(limited.retryAfterSeconds, `failed authentications from ${address}`));
            return;
          }
          endResponse(
            jsonError(401, 'UNAUTHENTICATED', `Not authenticated: ${e.message}.`, {
              // A header value is ASCII without quotes; the body has the message as written.
              'www-authenticate': `Bearer error="invalid_token", error_description="${e.message.replace(/[^\x20-\x7e]|"/g, '')}"`,
            }),
          );
          return;
        }
      } else if (options.defaultViewer) viewer = { via: 'default', ...options.defaultViewer };
      else if (publicAccess) viewer = PUBLIC_VIEWER;
      else {
        endResponse(
          jsonError(
            401,
            'UNAUTHENTICATED',
            'Not authenticated: this server needs credentials (Authorization: Bearer <API key or JWT>; an analyst creates keys with `cype keys create`).',
            { 'www-authenticate': 'Bearer' },
          ),
        );
        return;
      }
      const who = viewer.keyId ? `key:${viewer.keyId}` : viewer.via === 'jwt' ? viewer.name : `address:${address}`;
      const points = limits.ratePerWindow[viewer.role];
      const limited = await rateLimiter.consume('requests', who, points);
      if (limited) {
        endResponse(tooMany(limited.retryAfterSeconds, `${points} requests per ${limits.rateWindowSeconds} s`));
        return;
      }
      viewers.set(request, viewer);
    },
    onDispose: () => rateLimiter.close(),
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data') || !requestParser) return;
      const length = request.headers.get('content-length');
      if (length && Number(length) > limits.maxJsonBodyBytes) throw bodyTooLarge(limits.maxJsonBodyBytes);
      setRequestParser(async (req) => {
        try {
          // A declared length within the limit is the length read (the HTTP parser frames the body by it):
          // only bodies without one (chunked) are counted as they stream in.
          return await requestParser(length ? req : capBody(req, limits.maxJsonBodyBytes, fetchAPI));
        } catch (e) {
          throw unparsable(e);
        }
      });
    },
  };

  const tooMany = (seconds: number, what: string) =>
    jsonError(429, 'RATE_LIMITED', `Rate limit exceeded (${what}); retry after ${seconds} s.`, {
      'retry-after': String(seconds),
    });

  const persisted = usePersistedOperations({
    allowArbitraryOperations: (request) => viewerOf(request).operations === undefined,
    extractPersistedOperationId: (params) => {
      const p = params as { documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
      const id = p.documentId ?? p.extensions?.persistedQuery?.sha256Hash;
      return typeof id === 'string' ? id.replace(/^sha256:/, '') : null;
    },
    getPersistedOperation: (hash, request) => {
      const op = byHash.get(hash);
      const allowed = viewerOf(request).operations;
      if (op && allowed && !allowed.includes(op.name)) {
        throw new GraphQLError(
          `The operation ${op.name} is not on this credential's allow-list (${allowed.join(', ') || 'empty'}).`,
          {
            extensions: { code: 'OPERATION_NOT_ALLOWED', http: { status: 403 } },
          },
        );
      }
      return op?.document ?? null;
    },
    customErrors: {
      persistedQueryOnly: {
        message:
          'This credential may run only its allow-listed operations: send {"documentId": "<sha256>"} with variables, not a query (`cype keys operations` lists them).',
        extensions: { code: 'PERSISTED_OPERATIONS_ONLY', http: { status: 403 } },
      },
      notFound: {
        message: 'No allow-listed operation has this documentId (`cype keys operations` lists them).',
        extensions: { code: 'PERSISTED_OPERATION_NOT_FOUND', http: { status: 400 } },
      },
      keyNotFound: {
        message: 'The request has neither a query nor a documentId.',
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      },
    },
  }) as Plugin;

  const armor = new EnvelopArmor({
    // Fragments count as the fields they contain, not as a level of their own.
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: true },
  }).protect().plugins as Plugin[];

  const executeGuard: Plugin = {
    onExecute({ setExecuteFn, executeFn }) {
      setExecuteFn(async (args: ExecutionArgs) => {
        let records = 0;
        const run = async () => {
          // The clock starts when the operation executes (an answer from the cache never starts it).
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<ExecutionResult>((resolve) => {
            timer = setTimeout(
              () =>
                resolve({
                  errors: [
                    new GraphQLError(`The operation ran past the time limit of ${limits.executionTimeoutMs} ms.`, {
                      extensions: { code: 'TIMEOUT', http: { status: 503 } },
                    }),
                  ],
                }),
              limits.executionTimeoutMs,
            );
          });
          let result: ExecutionResult;
          try {
            result = (await Promise.race([executeFn(args), timeout])) as ExecutionResult;
          } finally {
            clearTimeout(timer);
          }
          const audited = await audit(args, result);
          records = audited.records;
          return audited.result;
        };
        const key = responseKey(args);
        if (!key) return run();
        // Whole responses of aggregate queries are kept in the result cache (src/core/reporting/cache.ts),
        // for this kind of viewer, until any import: never one with record-level data or an error.
        const ctx = args.contextValue as Context;
        const result = await ctx.results.once(
          'responses',
          key,
          'ALL',
          run,
          (r) => records === 0 && !r.errors?.length && r.data != null,
        );
        return records === 0 ? servedAsText(result) : result;
      });
    },
  };

  async function audit(
    args: ExecutionArgs,
    result: ExecutionResult,
  ): Promise<{ result: ExecutionResult; records: number }> {
    if (!result || typeof result !== 'object' || !('data' in result) || !result.data) return { result, records: 0 };
    const count = countRecords(args.schema, args.document, args.operationName, result.data);
    if (count.total === 0) return { result, records: 0 };
    const ctx = args.contextValue as { viewer: Viewer; params?: { query?: string } };
    try {
      await writeAudit(options.db, {
        viewer: ctx.viewer,
        operationName: args.operationName ?? null,
        documentHash: documentHash(ctx.params?.query ?? print(args.document)),
        variables: redactVariables(args.document, args.variableValues, args.schema),
        count,
      });
    } catch {
      // Unaccounted record-level data does not leave the server.
      return {
        result: {
          errors: [
            new GraphQLError('The audit log could not be written, so the record-level data is withheld; try again.', {
              extensions: { code: 'AUDIT_UNAVAILABLE', http: { status: 503 } },
            }),
          ],
        },
        records: count.total,
      };
    }
    return { result, records: count.total };
  }

  return {
    plugins: [
      gate,
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }) as Plugin,
      persisted,
      useDisableIntrospection({ isDisabled: (request) => !isAnalyst(viewerOf(request)) }) as Plugin,
      ...armor,
      executeGuard,
    ],
    viewerOf,
    limits,
    close: () => rateLimiter.close(),
  };
}

/**
 * Root query fields whose answers come from tables imports never invalidate (provenance, the audit log) or
 * that describe the caller: never served from the response cache.
 */
export const UNCACHED_ROOT_FIELDS: ReadonlySet<string> = new Set(['imports', 'auditLog', 'viewer']);

const documentDigests = new WeakMap<DocumentNode, string>();

/**
 * Serialises an error-free result once: a cached result is the same object for every request it answers,
 * and Yoga uses a result's own `stringify` (non-enumerable, so never part of the JSON) when it has one.
 * Results with errors are left alone: Yoga rewrites their errors before serialising.
 */
function servedAsText(result: ExecutionResult): ExecutionResult {
  if (result.errors?.length || result.extensions || Object.hasOwn(result, 'stringify')) return result;
  let text: string | undefined;
  Object.defineProperty(result, 'stringify', {
    value: (value: unknown) => {
      if (value !== result) return JSON.stringify(value);
      text ??= JSON.stringify(result);
      return text;
    },
    enumerable: false,
  });
  return result;
}

/**
 * The response cache key of an execution, or null when it must not be cached (a mutation, a subscription,
 * introspection, an uncached root field). Everything the answer depends on is in it: the document, the
 * operation, the variables, and what decides which fields and figures the viewer gets (role, services,
 * disclosure control). Yoga parses each distinct document once, so its digest is computed once.
 */
export function responseKey(args: ExecutionArgs): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'query') return null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null; // fragments at the root: not worth resolving here
    const name = selection.name.value;
    if (name.startsWith('__') || UNCACHED_ROOT_FIELDS.has(name)) return null;
  }
  let digest = documentDigests.get(args.document);
  if (!digest) {
    digest = createHash('sha1').update(print(args.document)).digest('base64url');
    documentDigests.set(args.document, digest);
  }
  const ctx = args.contextValue as Context;
  const viewer = [ctx.viewer.role, [...ctx.viewer.services].sort(), ctx.disclosureControl];
  const rest = JSON.stringify([args.operationName ?? null, args.variableValues ?? {}, viewer]);
  return `${digest}:${createHash('sha1').update(rest).digest('base64url')}`;
}

/**
 * A request Yoga could not parse, as a 400 that says where, without the parser's own error: Yoga attaches
 * it to a bad JSON body (`extensions.originalError`), and lets GET's `variables`/`extensions` parameters
 * throw it bare (an unexpected error: 500).
 */
function unparsable(e: unknown): unknown {
  const where = (message: string) => /at position \d+|end of JSON input/.exec(message)?.[0];
  if (e instanceof GraphQLError) {
    const { originalError, ...extensions } = e.extensions as Record<string, unknown>;
    if (!originalError) return e;
    const at = where(String((originalError as { message?: unknown }).message ?? ''));
    return new GraphQLError(`${e.message.replace(/\.$/, '')}${at ? ` (${at})` : ''}.`, { extensions });
  }
  if (e instanceof SyntaxError) {
    const at = where(e.message);
    return new GraphQLError(
      `The variables or extensions parameter is not valid JSON${at ? ` (${at})` : ''}: send each as a JSON object.`,
      { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
    );
  }
  return e;
}

function bodyTooLarge(limit: number): GraphQLError {
  return new GraphQLError(`The request body is over the limit of ${limit} bytes for a GraphQL request.`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });
}

/**
 * A request whose body stream fails once more than `limit` bytes have been read (a body sent without
 * Content-Length). As Yoga's own limit does: the TransformStream must match the body's implementation.
 */
function capBody(
  request: Request,
  limit: number,
  fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream },
): Request {
  if (!request.body) return request;
  let read = 0;
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(bodyTooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM types lack it.
    duplex: 'half',
  });
}
