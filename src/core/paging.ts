// Cursor paging of every service's record-level lists: the `first`/`after` arguments, the `<Node>Page`
// object type ({ nodes totalCount nextCursor }) and one function that reads a page in the list's order.
// A cursor is the last row's natural key (the list's ORDER BY columns), opaque to callers.
import type { ObjectRef } from '@pothos/core';
import type { Builder } from '../builder.js';
import { recordLevel } from './access/index.js';
import { UserInputError } from './errors.js';

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

/** The `first` and `after` arguments of a paged list field: spread into its `args`. */
export function pageArgs(builder: Builder) {
  return builder.args((t) => ({
    first: t.int({ required: false, description: `Page size, 1 to ${MAX_PAGE} (default 50).` }),
    after: t.string({ required: false, description: 'The previous page’s nextCursor.' }),
  }));
}

/** A page request, checked: the page size and the key of the row the page starts after (none: the first page). */
export interface PageRequest {
  first: number;
  after: string[] | undefined;
}

/**
 * Checks a list's `first` and `after` (a cursor of `keyParts` key columns). Call it before the list's other
 * arguments, so a bad page request is the error reported.
 */
export function pageRequest(args: { first?: number | null; after?: string | null }, keyParts: number): PageRequest {
  return { first: pageSize(args.first), after: decodeCursor(args.after, keyParts) };
}

/**
 * Reads one page: the rows after the cursor in the list's order (one more than the page, to know whether
 * there is a next one) and the total over every page, at the same time. `rows` returns at most `take` rows
 * whose key is after `after`; `key` is a node's key in the cursor's order (the same columns `rows` orders by).
 */
export async function cursorPage<Node>(
  request: PageRequest,
  list: {
    count: () => Promise<number>;
    rows: (take: number, after: string[] | undefined) => Promise<Node[]>;
    key: (node: Node) => string[];
  },
): Promise<Page<Node>> {
  const { first, after } = request;
  const [totalCount, rows] = await Promise.all([list.count(), list.rows(first + 1, after)]);
  const nodes = rows.slice(0, first);
  return {
    nodes,
    totalCount,
    nextCursor: rows.length > first ? encodeCursor(list.key(nodes[nodes.length - 1])) : null,
  };
}

/**
 * Defines `<Node>Page`, a page of a service's record-level list (analysts of `service` only), with the same
 * three fields on every list: `nodes`, `totalCount` and `nextCursor`. The descriptions say what the list holds.
 */
export function pageType<Shape>(
  builder: Builder,
  // biome-ignore lint/suspicious/noExplicitAny: any node type of this builder (plain or Prisma object).
  node: ObjectRef<any, Shape>,
  about: {
    /** The service's slug, e.g. `early-years`: its record-level scope. */
    service: string;
    /** The type's description, e.g. `A page of EYFS profile results.` (the record-level note is added). */
    description: string;
    /** What `nodes` holds and in what order, e.g. `The results on this page, by year then person id.` */
    nodes: string;
    /** What `totalCount` counts, e.g. `Results matching the filters, on every page.` */
    totalCount: string;
  },
) {
  return builder.objectRef<Page<Shape>>(`${node.name}Page`).implement({
    ...recordLevel(about.service),
    description: `${about.description} Record level: analysts only.`,
    fields: (t) => ({
      nodes: t.field({ type: [node], description: about.nodes, resolve: (p) => p.nodes }),
      totalCount: t.int({ description: about.totalCount, resolve: (p) => p.totalCount }),
      nextCursor: t.string({
        nullable: true,
        description: 'Pass as `after` for the next page; null on the last page.',
        resolve: (p) => p.nextCursor,
      }),
    }),
  });
}
