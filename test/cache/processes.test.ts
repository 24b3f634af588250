// Two API processes (`src/server.ts` as `npm start` runs it, configured by environment variables only)
// over one PostgreSQL database and one Redis, as two replicas are deployed: what replicas.test.ts proves
// with two in-process apps, here across real OS processes. Figures one process computed are stored in
// Redis; a change written by neither process (plain SQL, as psql or another tool would) and an import
// through one process both reach both processes' next answers, cached in Redis or not (the cache is keyed
// by the database's write counters); a key's rate limit is counted once, so the request past it is refused
// (429) by whichever process gets it. The data is the early-years service's EY_GLD (percentage of children
// with a good level of development), from EYFS rows this file writes; every expected figure is computed
// here from those rows.
// Needs TEST_DATABASE_URL and a Redis (TEST_REDIS_URL, REDIS_URL or redis://127.0.0.1:6379); skipped with a
// notice otherwise. It creates its own database (dropped at the end) and writes Redis keys under a prefix
// unique to the run (the cache's and the rate limiter's, CYPE_RATE_PREFIX), all deleted at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/core/access/keys.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { openDatabase } from '../../src/db.js';
import { createServerDatabase, freePort, redisAnswers, TEST_DATABASE_URL, TEST_REDIS_URL } from '../harness.js';

const REDIS_URL = TEST_REDIS_URL;
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

const redisUp = await redisAnswers(REDIS_URL);
const skipReason = !TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is not set'
  : !redisUp
    ? `Redis does not answer at ${REDIS_URL}`
    : undefined;
if (skipReason)
  console.warn(`test/cache/processes.test.ts skipped: ${skipReason} (two API processes need PostgreSQL and Redis).`);

const PREFIX = `cype:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
const AY = '2016/2017|AY';
const [D1, D2, D3] = KENT_DISTRICTS.map((d) => d.code);
/** The PUBLIC role's requests per window. */
const PUBLIC_PER_WINDOW = 6; // given to both processes through CYPE_RATE_LIMITS

// ---- The rows, and the figures expected from them ---------------------------------------------------

interface Child {
  id: string;
  district: string;
}
/** C01–C04 and C13–C14 live in D1, C05–C10 in D2, C11–C12 in D3. */
const CHILDREN: Child[] = Array.from({ length: 14 }, (_, i) => ({
  id: `C${String(i + 1).padStart(2, '0')}`,
  district: i < 4 || i >= 12 ? D1 : i < 10 ? D2 : D3,
}));
const districtOf = new Map(CHILDREN.map((c) => [c.id, c.district]));

/** Person id → achieved a good level of development, in 2016/17. */
type Results = Record<string, boolean>;
/** First load, through process A: 12 results, 7 with GLD (D1 2 of 4, D2 4 of 6, D3 1 of 2). */
const FIRST: Results = {
  C01: true,
  C02: false,
  C03: true,
  C04: false,
  C05: true,
  C06: true,
  C07: false,
  C08: true,
  C09: true,
  C10: false,
  C11: true,
  C12: false,
};
/** Written with plain SQL, so no cache hears of it: C02 now has GLD. */
const BEHIND_THE_CACHE: Results = { C02: true };
/** Second load, through process A: C05 corrected to no GLD, C13 (GLD) and C14 (not) are new. */
const SECOND: Results = { C05: false, C13: true, C14: false };

interface Gld {
  numerator: number;
  denominator: number;
  value: number;
  byDistrict: Record<string, [numerator: number, denominator: number]>;
}

/** EY_GLD for Kent by hand: the rows after applying `loads` in order (a later row replaces an earlier one). */
function expected(...loads: Results[]): Gld {
  const rows = new Map<string, boolean>();
  for (const load of loads) for (const [id, gld] of Object.entries(load)) rows.set(id, gld);
  const byDistrict: Gld['byDistrict'] = {};
  for (const [id, gld] of rows) {
    const d = districtOf.get(id) as string;
    const [n, m] = byDistrict[d] ?? [0, 0];
    byDistrict[d] = [n + (gld ? 1 : 0), m + 1];
  }
  const numerator = [...rows.values()].filter(Boolean).length;
  return { numerator, denominator: rows.size, value: (100 * numerator) / rows.size, byDistrict };
}

const peopleCsv = [
  'person_id,birth_month,sex,ethnicity_major,district_code',
  ...CHILDREN.map((c, i) => `${c.id},2011-0${(i % 9) + 1},${i % 2 ? 'M' : 'F'},WHITE,${c.district}`),
].join('\n');

const eyfsCsv = (results: Results) =>
  [
    'person_id,time_period,time_identifier,gld',
    ...Object.entries(results).map(([id, gld]) => `${id},201617,Academic year,${gld ? 'Y' : 'N'}`),
  ].join('\n');

const GLD_QUERY = `query ($area: String!, $period: String!) {
  indicator(code: "EY_GLD") {
    value(area: $area, period: $period) {
      value { value symbol } numerator { value } denominator { value }
      breakdown(dimension: DISTRICT) { code numerator { value } denominator { value } }
    }
  }
}`;

// ---- The two server processes -------------------------------------------------------------------

interface Server {
  name: string;
  base: string;
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

const running = new Set<Server>();

/** `src/server.ts` in a child process, configured as a replica: PostgreSQL, Redis, our prefix, a port. */
async function startServer(name: string, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    CYPE_CACHE_PREFIX: PREFIX,
    CYPE_RATE_PREFIX: `${PREFIX}rate:`,
    CYPE_RATE_LIMITS: `PUBLIC=${PUBLIC_PER_WINDOW}`,
    CYPE_SERVICES: 'early-years',
    CYPE_DB_POOL: '4',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  // Nothing from the caller's environment may seed, open access, turn the cache off or add JWTs.
  for (const v of [
    'TEST_DATABASE_URL',
    'CYPE_SEED_DEMO',
    'CYPE_PUBLIC_ACCESS',
    'CYPE_CACHE',
    'CYPE_JWT_PUBLIC_KEY',
    'CYPE_JWT_JWKS_FILE',
  ])
    delete env[v];
  const child = spawn(process.execPath, [TSX, 'src/server.ts'], { cwd: ROOT, env });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const server: Server = {
    name,
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    exit: new Promise((resolve) =>
      child.on('exit', (code) => {
        running.delete(server);
        resolve(code);
      }),
    ),
  };
  running.add(server);
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => (/GraphiQL at http/.test(out) ? resolve(true) : setTimeout(check, 50));
      check();
    }),
    server.exit.then(() => false),
  ]);
  if (!ready) throw new Error(`server ${name} exited before serving:\n${out}`);
  return server;
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.exit;
  clearTimeout(timer);
}

async function post(server: Server, key: string, body: unknown) {
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

type FigureOut = { value: number | null; symbol?: string | null };
interface GldOut {
  value: FigureOut;
  numerator: FigureOut;
  denominator: FigureOut;
  breakdown: { code: string; numerator: FigureOut; denominator: FigureOut }[];
}

/** EY_GLD for Kent in 2016/17 as `server` answers it, in the shape of `expected()`. */
async function gld(server: Server, key: string): Promise<Gld> {
  const r = await post(server, key, { query: GLD_QUERY, variables: { area: KENT, period: AY } });
  if (r.status !== 200 || r.body.errors) throw new Error(`${server.name}: ${r.status} ${JSON.stringify(r.body)}`);
  const v = (r.body.data as { indicator: { value: GldOut } }).indicator.value;
  return {
    numerator: v.numerator.value as number,
    denominator: v.denominator.value as number,
    value: v.value.value as number,
    byDistrict: Object.fromEntries(
      v.breakdown.map((b) => [b.code, [b.numerator.value as number, b.denominator.value as number]]),
    ),
  };
}

/** Uploads a CSV through the importFile mutation (multipart, as curl would); returns the report. */
async function upload(server: Server, key: string, format: string, csv: string) {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query:
        'mutation ($format: String!, $file: File!) { importFile(format: $format, file: $file) { status message inserted updated unchanged } }',
      variables: { format, file: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new File([csv], 'upload.csv', { type: 'text/csv' }));
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await res.json()) as {
    data?: { importFile: { status: string; message: string; inserted: number; updated: number; unchanged: number } };
  };
  if (body.data?.importFile.status !== 'SUCCEEDED') {
    throw new Error(`${server.name}: upload of ${format} failed: ${JSON.stringify(body)}`);
  }
  return body.data.importFile;
}

// ---- The tests ----------------------------------------------------------------------------------------

describe.skipIf(Boolean(skipReason))('two API processes over one PostgreSQL and one Redis', () => {
  let drop: (() => Promise<void>) | undefined;
  let sql: (text: string, values?: unknown[]) => Promise<unknown>;
  let closeSql: () => Promise<void> = async () => {};
  let a: Server;
  let b: Server;
  let analystKey: string;
  let publicKey: string;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const database = await createServerDatabase('cype_processes');
    drop = database.drop;
    // As a deployment does: migrations once (`npm run db:migrate`), then the replicas. Geography and the
    // API keys are written here; every row the figures count is imported through process A.
    const db = await openDatabase({ url: database.url, migrate: true });
    try {
      await db.prisma.$transaction((tx) => seedGeography(tx));
      const analyst = await createKey(db, { name: 'processes test analyst', role: 'DIRECTORATE_ANALYST' });
      const pub = await createKey(db, { name: 'processes test public', role: 'PUBLIC' });
      analystKey = analyst.key;
      publicKey = pub.key;
    } finally {
      await db.close();
    }
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    sql = (text, values) => client.query(text, values);
    closeSql = () => client.end();

    [a, b] = await Promise.all([startServer('A', database.url), startServer('B', database.url)]);
    // Neither process seeds PostgreSQL by itself: the store holds only what this file writes.
    for (const s of [a, b]) expect(s.output()).toMatch(/No demo data/);

    expect(await upload(a, analystKey, 'core/people', peopleCsv)).toMatchObject({ inserted: CHILDREN.length });
    expect(await upload(a, analystKey, 'early-years/eyfs-results', eyfsCsv(FIRST))).toMatchObject({ inserted: 12 });
  });

  afterAll(async () => {
    await Promise.all([...running].map(stopServer));
    await closeSql();
    if (redis) {
      for (const match of [`${PREFIX}*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      }
      await redis.quit();
    }
    await drop?.();
  });

  it('never serve a cached figure after a write, whoever made it; an import through one reaches the other', async () => {
    const first = expected(FIRST);
    const behind = expected(FIRST, BEHIND_THE_CACHE);
    const after = expected(FIRST, BEHIND_THE_CACHE, SECOND);
    // By hand: 7 of 12 (D1 2/4, D2 4/6, D3 1/2); with C02: 8 of 12; after the second load: 8 of 14
    // (C05 loses it, C13 gains it, C14 not), D1 4/6, D2 3/6, D3 1/2.
    expect(first).toMatchObject({ numerator: 7, denominator: 12, byDistrict: { [D1]: [2, 4], [D2]: [4, 6] } });
    expect(behind).toMatchObject({ numerator: 8, denominator: 12 });
    expect(after).toEqual({
      numerator: 8,
      denominator: 14,
      value: (100 * 8) / 14,
      byDistrict: { [D1]: [4, 6], [D2]: [3, 6], [D3]: [1, 2] },
    });

    // B computes the figures, and stores them in Redis under the prefix the processes were given.
    expect(await gld(b, analystKey)).toEqual(first);
    const [, cached] = await redis.scan('0', 'MATCH', `${PREFIX}*`, 'COUNT', 10_000);
    expect(cached.length).toBeGreaterThan(0);

    // A change no process makes and no message announces: the database now says 8 of 12, and so does
    // every process at once (the trigger raised EyfsResult's counter, and keys are made of counters).
    await sql(`UPDATE "EyfsResult" SET gld = true WHERE "personId" = $1 AND "periodCode" = $2`, ['C02', AY]);
    expect(await gld(b, analystKey)).toEqual(behind);
    expect(await gld(a, analystKey)).toEqual(behind);

    // An import through A: B's next answer, and A's, are computed from the database again.
    expect(await upload(a, analystKey, 'early-years/eyfs-results', eyfsCsv(SECOND))).toMatchObject({
      inserted: 2,
      updated: 1,
    });
    expect(await gld(b, analystKey)).toEqual(after);
    expect(await gld(a, analystKey)).toEqual(after);
  });

  it("count a key's requests once across both processes", async () => {
    const query = { query: `{ area(code: "${KENT}") { name } }` };
    const statuses: number[] = [];
    for (let i = 0; i < PUBLIC_PER_WINDOW; i++) {
      const r = await post(i % 2 ? b : a, publicKey, query);
      if (i === 0) expect(r.body).toEqual({ data: { area: { name: 'Kent' } } });
      statuses.push(r.status);
    }
    // Each process has served half of the allowance; counted apart, both would still answer.
    expect(statuses).toEqual(Array(PUBLIC_PER_WINDOW).fill(200));
    for (const server of [a, b]) {
      const r = await post(server, publicKey, query);
      expect(r.status, `request ${PUBLIC_PER_WINDOW + 1} to ${server.name}`).toBe(429);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    }
  });
});
