// Record-level list helpers every service plugin's GraphQL uses (paging is in ./paging.ts): date arguments,
// the districts an area covers (records are kept by district; a local authority is the sum of its own
// districts), and a list's total from its stored counts.
import type { Context } from '../context.js';
import type { Area } from '../generated/prisma/client.js';
import { iso } from './dates.js';
import { UserInputError } from './errors.js';
import type { StoredCountDefinition } from './plugin.js';
import { areaDirectory } from './reporting/directories.js';
import { requireArea } from './reporting/graphql/args.js';
import { readStored } from './reporting/replica-routing.js';
import { askForCount, type CountRow, freshSnapshots, snapshotsEnabled } from './reporting/snapshots.js';

export function dateArg(value: string | null | undefined, argument: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || iso(d) !== value) {
    throw new UserInputError(`${argument} must be a date YYYY-MM-DD; got "${value}"`, argument);
  }
  return d;
}

/** Codes of the districts in an area (itself when it is one), from the request's area directory. */
export async function districtsIn(ctx: Context, areaCode: string, argument = 'area'): Promise<string[]> {
  const area = await requireArea(ctx, areaCode, argument);
  const { byCode } = await areaDirectory(ctx);
  const inside = (code: string | null): boolean => {
    for (let c = code; c; c = byCode.get(c)?.parentCode ?? null) if (c === area.code) return true;
    return false;
  };
  return [...byCode.values()].filter((a) => a.level === 'DISTRICT' && inside(a.code)).map((a) => a.code);
}

/**
 * An area by code from the request's directory (for `district` fields), or null. The directory's
 * `neighbours` (codes) is dropped: Area's own relation field of that name loads its rows itself.
 */
export async function areaByCode(ctx: Context, code: string | null): Promise<Area | null> {
  if (!code) return null;
  const found = (await areaDirectory(ctx)).byCode.get(code);
  if (!found) return null;
  const { neighbours: _codes, ...area } = found;
  return area;
}

/** The stored counts of a list, read once per request, or null when none are fresh. */
function storedCountRows(ctx: Context, def: StoredCountDefinition): Promise<CountRow[] | null> {
  return ctx
    .loader<StoredCountDefinition, CountRow[] | null>('records.storedCounts', async (defs) => {
      const { found } = await readStored<CountRow[]>(
        ctx,
        defs.map((d) => askForCount(d.key, d)),
        freshSnapshots,
      );
      return defs.map((d) => found.get(d.key) ?? null);
    })
    .load(def);
}

export interface CountMatch {
  /** A period code; undefined: every period. */
  period?: string;
  /** Home districts; undefined: every record, people without a known district included. */
  districts?: string[];
  /** Filter columns of the stored counts and their values; an undefined value does not filter. */
  filters?: Record<string, string | boolean | null | undefined>;
}

/**
 * A list's `totalCount`: summed from its stored counts (a plugin's `storedCounts`) while they are fresh,
 * so it costs the same at any size of store; else, or when a filter is not among the stored columns (or
 * stored figures are off), `live()`, the list's own COUNT.
 */
export async function countRecords(
  ctx: Context,
  key: string,
  match: CountMatch,
  live: () => Promise<number>,
): Promise<number> {
  const def = ctx.services.flatMap((s) => s.storedCounts ?? []).find((d) => d.key === key);
  const filters = Object.entries(match.filters ?? {}).filter(([, v]) => v !== undefined);
  if (!def || !snapshotsEnabled() || filters.some(([f]) => !def.filters.includes(f))) return live();
  const rows = await storedCountRows(ctx, def);
  if (!rows) return live();
  const districts = match.districts ? new Set(match.districts) : null;
  const columns = filters.map(([f, v]) => [2 + def.filters.indexOf(f), v] as const);
  let n = 0;
  for (const r of rows) {
    if (match.period !== undefined && r[0] !== match.period) continue;
    if (districts && (r[1] === null || !districts.has(r[1] as string))) continue;
    if (columns.some(([i, v]) => r[i] !== v)) continue;
    n += r[r.length - 1] as number;
  }
  return n;
}
