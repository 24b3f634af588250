// Record-level list helpers every service plugin's GraphQL uses: page size and cursor checks, date
// arguments, and the districts an area covers (records are kept by district; a local authority is the sum
// of its own districts).
import type { Context } from '../context.js';
import type { Area } from '../generated/prisma/client.js';
import { UserInputError } from './errors.js';
import { requireArea } from './reporting/graphql/args.js';
import { areaDirectory } from './reporting/values.js';

export const MAX_PAGE = 500;

/** One page of rows and where the next starts. */
export interface Page<T> {
  nodes: T[];
  totalCount: number;
  nextCursor: string | null;
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new UserInputError(`first must be a whole number from 1 to ${MAX_PAGE}; got ${n}`, 'first');
  }
  return n;
}

/** Opaque cursor: the row's natural key, base64url-encoded JSON. */
export const encodeCursor = (key: string[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(after: string | null | undefined, parts: number): string[] | undefined {
  if (after === null || after === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((k) => typeof k === 'string')) return key;
  } catch {
    // reported below
  }
  throw new UserInputError('after is not a cursor from this list: pass a nextCursor it returned', 'after');
}

export function dateArg(value: string | null | undefined, argument: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
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
