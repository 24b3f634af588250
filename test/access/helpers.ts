// Test kit for access control: an in-process app with access options, requests with a bearer key, and
// keys created straight in the test database.
import { type AppOptions, createApp } from '../../src/app.js';
import { createKey, type NewKey } from '../../src/core/access/keys.js';
import type { Viewer } from '../../src/core/access/viewer.js';
import type { ServicePlugin } from '../../src/core/plugin.js';
import type { Database } from '../../src/db.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely.
  body: any;
}

export async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface AccessTestApp {
  db: Database;
  fetch(pathname: string, init?: RequestInit): Promise<Reply>;
  /** POST a JSON GraphQL request, with `Bearer <key>` when a key is given. */
  post(body: unknown, key?: string, headers?: Record<string, string>): Promise<Reply>;
  /** Closes what the app holds (the Redis connection of its rate limiter). */
  dispose(): Promise<void>;
}

/** An in-process app; unlike testApp's default, requests without credentials get no viewer (401). */
export function accessApp(
  db: Database,
  opts: { services?: ServicePlugin[]; viewer?: Viewer; access?: AppOptions['access'] } = {},
): AccessTestApp {
  const app = createApp({ db, services: opts.services ?? [], defaultViewer: opts.viewer, access: opts.access });
  const fetchIt = async (pathname: string, init?: RequestInit) =>
    reply(await app.fetch(new Request(`http://cype.test${pathname}`, init)));
  return {
    db,
    fetch: fetchIt,
    post: (body, key, headers = {}) =>
      fetchIt('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    dispose: async () => {
      await app.dispose();
    },
  };
}

/** A key of each kind used across the access tests. */
export async function makeKey(db: Database, k: Partial<NewKey> & Pick<NewKey, 'role'>): Promise<string> {
  return (await createKey(db, { name: `${k.role.toLowerCase()} test key`, ...k })).key;
}

/** Limits high enough that a test's own volume never trips the rate limiter. */
export const UNLIMITED_RATE = {
  ratePerWindow: { DIRECTORATE_ANALYST: 1e9, SERVICE_ANALYST: 1e9, PARTNER: 1e9, PUBLIC: 1e9 },
  authFailuresPerWindow: 1e9,
};
