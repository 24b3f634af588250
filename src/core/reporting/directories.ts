// The directories of a request: every area (with its statistical neighbours) and every stored period, each
// read once per request through the result cache (cache.ts).
import type { Context } from '../../context.js';
import type { Area, Period } from '../../generated/prisma/client.js';

export type AreaRecord = Area & { neighbours: string[] };

/** Every area, once per request (a few hundred rows at most), with its ordered statistical neighbours. */
export async function areaDirectory(ctx: Context): Promise<{ byCode: Map<string, AreaRecord>; national?: string }> {
  return ctx
    .loader<string, { byCode: Map<string, AreaRecord>; national?: string }>(
      'reporting.areas',
      ctx.results.batch(
        'areas',
        () => ['Area', 'StatisticalNeighbour'],
        async (keys) => {
          const rows = await ctx.db.prisma.area.findMany({
            include: { neighbours: { orderBy: { rank: 'asc' }, select: { neighbourCode: true } } },
          });
          const byCode = new Map(
            rows.map(({ neighbours, ...a }) => [a.code, { ...a, neighbours: neighbours.map((n) => n.neighbourCode) }]),
          );
          const national = rows.find((a) => a.level === 'NATIONAL')?.code;
          return keys.map(() => ({ byCode, national }));
        },
      ),
    )
    .load('all');
}

/** Every stored period, once per request, oldest first. */
export async function periodDirectory(ctx: Context): Promise<{ byCode: Map<string, Period>; list: Period[] }> {
  return ctx
    .loader<string, { byCode: Map<string, Period>; list: Period[] }>(
      'reporting.periods',
      ctx.results.batch(
        'periods',
        () => ['Period'],
        async (keys) => {
          const list = await ctx.db.prisma.period.findMany({ orderBy: [{ startDate: 'asc' }, { endDate: 'desc' }] });
          return keys.map(() => ({ byCode: new Map(list.map((p) => [p.code, p])), list }));
        },
      ),
    )
    .load('all');
}
