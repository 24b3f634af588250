// `GET /export/indicators.csv?codes=…&area=…&period=…`: the CSV export over HTTP, as a Yoga plugin. It
// answers with the figures GraphQL would serve the same caller (same context factory, so the same viewer
// and disclosure rules). Lists are comma-separated; periods are EES codes such as `2016/2017|AY`.
// Bounded like a GraphQL operation: at most `maxExportCells` cells (codes × areas × periods; 400 naming the
// limit), charged against the rate limit by its size (`exportCellsPerRequest` cells count as one request),
// streamed one area × period at a time as the client reads, and stopped when the client disconnects or the
// execution time limit passes (the connection is then cut, so a truncated file cannot pass for a whole one).
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../context.js';
import type { Limits } from '../access/limits.js';
import { UserInputError } from '../errors.js';
import { type ExportRequest, exportCells, exportCsvChunks, prepareExport } from './export.js';

export const EXPORT_PATH = '/export/indicators.csv';

const list = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export interface CsvExportOptions {
  limits: Pick<Limits, 'maxExportCells' | 'exportCellsPerRequest' | 'executionTimeoutMs'>;
  /** Charges the request this many requests against its rate limit; a Response (429) refuses it. */
  charge?(request: Request, cost: number, what: string): Promise<Response | undefined>;
}

/** Why an export stopped early: the execution time limit. */
export class ExportTimeoutError extends Error {
  constructor(ms: number) {
    super(`The export ran past the time limit of ${ms} ms and was stopped; ask for fewer cells.`);
    this.name = 'ExportTimeoutError';
  }
}

export function useCsvExport(context: (request: Request) => Context, options: CsvExportOptions): Plugin {
  const { limits } = options;
  return {
    onRequest: async ({ request, url, endResponse, fetchAPI }) => {
      if (url.pathname !== EXPORT_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      for (const [argument, value] of url.searchParams) {
        if (value.includes('\0')) {
          endResponse(
            fetchAPI.Response.json(
              {
                error: `The argument ${argument} contains a NUL character (U+0000), which no value may hold.`,
                argument,
              },
              { status: 400 },
            ),
          );
          return;
        }
      }
      const req: ExportRequest = {
        codes: list(url.searchParams.get('codes')),
        areas: list(url.searchParams.get('area')),
        periods: list(url.searchParams.get('period')),
      };
      const ctx = context(request);
      let prepared: Awaited<ReturnType<typeof prepareExport>>;
      try {
        prepared = await prepareExport(ctx, req, limits.maxExportCells);
      } catch (e) {
        if (!(e instanceof UserInputError)) throw e;
        const { argument, limit } = e.extensions as { argument?: string; limit?: string };
        endResponse(
          fetchAPI.Response.json(
            { error: e.message, argument: argument ?? null, ...(limit ? { limit } : {}) },
            { status: 400 },
          ),
        );
        return;
      }
      const cells = exportCells(req);
      const cost = Math.ceil(cells / limits.exportCellsPerRequest);
      const refused = await options.charge?.(
        request,
        cost,
        `this export of ${cells} cells counts as ${cost} (one per ${limits.exportCellsPerRequest} cells)`,
      );
      if (refused) {
        endResponse(refused);
        return;
      }
      const headers = {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="indicators.csv"',
        'cache-control': 'no-store',
      };
      if (request.method === 'HEAD') {
        endResponse(new fetchAPI.Response(null, { headers }));
        return;
      }
      endResponse(
        new fetchAPI.Response(csvStream(ctx, prepared, request.signal, limits.executionTimeoutMs), { headers }),
      );
    },
  };
}

/**
 * The export as a byte stream that computes a chunk only when the client reads one (no read-ahead), and
 * stops computing when the client goes away (`signal`, or the stream cancelled) or after `timeoutMs`.
 */
function csvStream(
  ctx: Context,
  prepared: Awaited<ReturnType<typeof prepareExport>>,
  clientSignal: AbortSignal,
  timeoutMs: number,
): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const onClientGone = () => stop.abort(clientSignal.reason);
  clientSignal.addEventListener('abort', onClientGone, { once: true });
  const timer = setTimeout(() => stop.abort(new ExportTimeoutError(timeoutMs)), timeoutMs);
  const done = () => {
    clearTimeout(timer);
    clientSignal.removeEventListener('abort', onClientGone);
  };
  const chunks = exportCsvChunks(ctx, prepared, stop.signal);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            done();
            controller.close();
          } else controller.enqueue(encoder.encode(next.value));
        } catch (e) {
          done();
          controller.error(e);
        }
      },
      async cancel(reason) {
        stop.abort(reason);
        done();
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
