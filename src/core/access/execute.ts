// Execution of an operation: the time limit (503 naming it), the audit of record-level reads (withheld when
// the audit row cannot be written), and the whole-response cache of aggregate queries.
import { createHash } from 'node:crypto';
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
import type { Limits } from './limits.js';
import { documentHash } from './operations.js';
import type { Viewer } from './viewer.js';

export function useExecutionGuard(db: Database, limits: Pick<Limits, 'executionTimeoutMs'>): Plugin {
  return {
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
          const audited = await audit(db, args, result);
          records = audited.records;
          return audited.result;
        };
        const key = responseKey(args);
        if (!key) return run();
        // Whole responses of aggregate queries are kept in the result cache (src/core/reporting/cache.ts),
        // for this kind of viewer, keyed by every table's write counter (read once per request), so any
        // write shows in the next request: never one with record-level data or an error.
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
}

/** Writes the audit row of a result with record-level data; withholds the data when it cannot. */
async function audit(
  db: Database,
  args: ExecutionArgs,
  result: ExecutionResult,
): Promise<{ result: ExecutionResult; records: number }> {
  if (!result || typeof result !== 'object' || !('data' in result) || !result.data) return { result, records: 0 };
  const count = countRecords(args.schema, args.document, args.operationName, result.data);
  if (count.total === 0) return { result, records: 0 };
  const ctx = args.contextValue as { viewer: Viewer; params?: { query?: string } };
  try {
    await writeAudit(db, {
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
