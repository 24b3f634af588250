// HTTP answers and request plumbing shared by the access plugins: JSON error responses, the client's
// address, the GraphiQL page test, and the cap on GraphQL request bodies.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function jsonError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export const tooMany = (seconds: number, what: string) =>
  jsonError(429, 'RATE_LIMITED', `Rate limit exceeded (${what}); retry after ${seconds} s.`, {
    'retry-after': String(seconds),
  });

/** GraphiQL's HTML page is served without credentials: it holds no data, and asks with the user's headers. */
export function wantsGraphiQL(request: Request, url: URL): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !url.search;
}

export function clientAddress(serverContext: unknown): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? 'local';
}

/**
 * Caps JSON and GET GraphQL requests at `maxBytes` (413 naming the limit) before Yoga parses them; a
 * request Yoga cannot parse is a 400 that says where.
 */
export function useJsonBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data') || !requestParser) return;
      const length = request.headers.get('content-length');
      if (length && Number(length) > maxBytes) throw bodyTooLarge(maxBytes);
      setRequestParser(async (req) => {
        try {
          // A declared length within the limit is the length read (the HTTP parser frames the body by it):
          // only bodies without one (chunked) are counted as they stream in.
          return await requestParser(length ? req : capBody(req, maxBytes, fetchAPI));
        } catch (e) {
          throw unparsable(e);
        }
      });
    },
  };
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
