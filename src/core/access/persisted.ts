// Partners run persisted operations only, from their allow-list: a request names one by `documentId` (or
// Apollo's persistedQuery hash); any other document is refused (403). Analysts may send any document.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PartnerOperation } from './operations.js';
import type { Viewer } from './viewer.js';

export function usePartnerOperations(
  partnerOperations: PartnerOperation[],
  viewerOf: (request: Request) => Viewer,
): Plugin {
  const byHash = new Map(partnerOperations.map((op) => [op.hash, op]));
  return usePersistedOperations({
    allowArbitraryOperations: (request) => viewerOf(request).operations === undefined,
    extractPersistedOperationId: (params, request) => {
      const p = params as { documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
      // Yoga's GET parser keeps only query, variables, operationName and extensions: read documentId itself.
      const fromUrl = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null;
      const id = p.documentId ?? fromUrl ?? p.extensions?.persistedQuery?.sha256Hash;
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
}
