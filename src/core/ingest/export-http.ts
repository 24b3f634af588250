// `GET /export/indicators.csv?codes=…&area=…&period=…`: the CSV export over HTTP, as a Yoga plugin. It
// answers with the figures GraphQL would serve the same caller (same context factory, so the same viewer
// and disclosure rules). Lists are comma-separated; periods are EES codes such as `2016/2017|AY`.
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../context.js';
import { UserInputError } from '../errors.js';
import { exportIndicatorsCsv } from './export.js';

export const EXPORT_PATH = '/export/indicators.csv';

const list = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function useCsvExport(context: (request: Request) => Context): Plugin {
  return {
    onRequest: async ({ request, url, endResponse, fetchAPI }) => {
      if (url.pathname !== EXPORT_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      try {
        const csv = await exportIndicatorsCsv(context(request), {
          codes: list(url.searchParams.get('codes')),
          areas: list(url.searchParams.get('area')),
          periods: list(url.searchParams.get('period')),
        });
        endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : csv, {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="indicators.csv"',
            },
          }),
        );
      } catch (e) {
        if (!(e instanceof UserInputError)) throw e;
        endResponse(
          fetchAPI.Response.json({ error: e.message, argument: e.extensions.argument ?? null }, { status: 400 }),
        );
      }
    },
  };
}
