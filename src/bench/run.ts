// `npm run bench`: the five fixed operations against the generated directorate, cold and warm, their
// SQL statements, the hand-written-SQL floor, throughput at 10 and 50 clients (autocannon against the
// real HTTP server in its own process), a Yoga hello world, and 1,000,000 rows through the import path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createApp } from '../app.js';
import { ANALYST } from '../context.js';
import { DISTRICT_WEIGHTS, KENT_DISTRICTS } from '../core/demo-areas.js';
import { seedGeography } from '../core/demo-population.js';
import { peopleFormat } from '../core/ingest/formats/people.js';
import { runImport } from '../core/ingest/index.js';
import type { ServicePlugin } from '../core/plugin.js';
import { createRng, weighted } from '../core/rng.js';
import type { Database, DatabaseKind } from '../db.js';
import { openDatabase } from '../db.js';
import { measureBoundedWork } from './bounded-work.js';
import {
  type FloorSetup,
  floorCohortOverlap,
  floorRecordsPage,
  floorScorecard,
  floorServiceBreakdowns,
  floorSetup,
  type Query,
  type ScorecardFigure,
} from './floor.js';
import { generateDirectorate, generatedIn } from './generate.js';
import {
  BENCH_LIMITS,
  type GraphQLRequest,
  OPERATIONS,
  type OperationName,
  operationRequests,
  PARAMS,
} from './operations.js';
import { type BenchResults, BenchResultsSchema, type OperationResult, percentile } from './results.js';
import { startServer } from './server-process.js';
import {
  benchServer,
  benchStoreUrl,
  createPgDatabase,
  databaseUrl,
  dropPgDatabase,
  openBenchStore,
  type StoreOptions,
  storeName,
} from './store.js';

export const RESULTS_FILE = path.resolve(import.meta.dirname, '../../bench/results.json');

export interface BenchOptions {
  kind: DatabaseKind;
  scale: number;
  services: ServicePlugin[];
  /** Warm samples per operation (at most; see budgetSeconds). */
  iterations?: number;
  /** Time budget for the warm samples of one operation. */
  budgetSeconds?: number;
  /** Seconds per autocannon run; 0 skips throughput. */
  durationSeconds?: number;
  /** Rows for the import measurement; 0 skips it. */
  importRows?: number;
  /** Concurrent disproportionality requests (issue 15: 20); 0 skips them. */
  concurrency?: number;
  /** Whether to measure the largest export the limits allow (issue 15); default true. */
  exportStep?: boolean;
  dataDir?: string;
  log?: (m: string) => void;
}

interface Cold {
  name: OperationName;
  coldMs: number;
}

export async function runBench(
  opts: BenchOptions,
): Promise<{ results: BenchResults; cold: Cold[]; cachedScorecardRps: number | null }> {
  const log = opts.log ?? (() => {});
  const store: StoreOptions = { kind: opts.kind, scale: opts.scale, dataDir: opts.dataDir };
  await ensureGenerated(store, opts.services, log);

  const operations: OperationResult[] = [];
  const cold: Cold[] = [];
  let scorecardCheck = '';
  for (const name of OPERATIONS) {
    log(`${name}: cold, warm, SQL statements, floor…`);
    const m = await measureOperation(store, opts, name);
    cold.push({ name, coldMs: m.coldMs });
    if (m.check) scorecardCheck = m.check;
    operations.push({
      name,
      p50Ms: percentile(m.samples, 50),
      p95Ms: percentile(m.samples, 95),
      p99Ms: percentile(m.samples, 99),
      sqlStatements: m.sqlStatements,
      floorP50Ms: percentile(m.floorSamples, 50),
      // Three significant figures: a ratio far below 1 (materialised figures) must not round to 0.
      ratioToFloor: Number((percentile(m.samples, 50) / Math.max(percentile(m.floorSamples, 50), 0.1)).toPrecision(3)),
      rps10: null,
      rps50: null,
    });
  }
  if (scorecardCheck) log(scorecardCheck);

  let helloWorldRps: number | null = null;
  let cachedScorecardRps: number | null = null;
  const duration = opts.durationSeconds ?? 10;
  if (duration > 0) {
    const where = benchStoreUrl(store) ?? storeName(store);
    for (const op of operations) {
      for (const connections of [10, 50] as const) {
        // A fresh server per run: requests still in flight when a run ends must not slow the next one.
        const server = await startServer(['app', where], { CYPE_CACHE: 'off' });
        try {
          const requests = await sampleRequests(server.port, op.name as OperationName);
          log(`${op.name}: throughput at ${connections} clients for ${duration} s…`);
          const rps = await throughput(server.port, requests, connections, duration, log);
          if (connections === 10) op.rps10 = rps;
          else op.rps50 = rps;
        } finally {
          await server.stop();
        }
      }
    }
    const cachedServer = await startServer(['app', where], { CYPE_CACHE: 'on' });
    try {
      const requests = await sampleRequests(cachedServer.port, 'scorecard');
      log(`scorecard with the result cache: throughput at 50 clients for ${duration} s…`);
      cachedScorecardRps = await throughput(cachedServer.port, requests, 50, duration, log);
    } finally {
      await cachedServer.stop();
    }
    const hello = await startServer(['hello']);
    try {
      log(`hello world: throughput at 50 clients for ${duration} s…`);
      helloWorldRps = await throughput(hello.port, [{ query: '{ hello }', variables: {} }], 50, duration, log);
    } finally {
      await hello.stop();
    }
  }

  const concurrency = opts.concurrency ?? 20;
  const exportStep = opts.exportStep ?? true;
  let bounded: Awaited<ReturnType<typeof measureBoundedWork>> = { disproportionality: null, export: null };
  if (concurrency > 0 || exportStep) {
    const db = await openStore(store);
    try {
      bounded = await measureBoundedWork({
        where: benchStoreUrl(store) ?? storeName(store),
        db,
        concurrency,
        exportStep,
        youthJustice: opts.services.some((s) => s.slug === 'youth-justice'),
        log,
      });
    } finally {
      await db.close();
    }
  }

  const rows = opts.importRows ?? 1_000_000;
  const imported = rows > 0 ? await measureImport(opts.kind, rows, log) : null;
  const results = checked({
    db: opts.kind,
    scale: opts.scale,
    machine: await machine(store),
    operations,
    helloWorldRps,
    import: { format: peopleFormat.name, rows: imported?.rows ?? 0, rowsPerSecond: imported?.rowsPerSecond ?? null },
    disproportionality: bounded.disproportionality,
    export: bounded.export,
  });
  return { results, cold, cachedScorecardRps };
}

function checked(results: unknown): BenchResults {
  const parsed = BenchResultsSchema.safeParse(results);
  if (!parsed.success) {
    throw new Error(
      `results do not have the shape of bench/results.json: ${parsed.error.message}\n${JSON.stringify(results, null, 2)}`,
    );
  }
  return parsed.data;
}

/** Generates the directorate unless the store already holds this scale with these services. */
async function ensureGenerated(store: StoreOptions, services: ServicePlugin[], log: (m: string) => void) {
  let db = await openBenchStore(store);
  try {
    const held = await generatedIn(db);
    const slugs = services.map((s) => s.slug).join(',');
    if (held && held.scale === store.scale && held.services.join(',') === slugs) return;
    log(
      held
        ? `${storeName(store)} holds scale ${held.scale} (${held.services.join(',')}); regenerating scale ${store.scale} (${slugs})…`
        : `${storeName(store)} has no generated directorate; generating scale ${store.scale}…`,
    );
    await db.close();
    db = await openBenchStore({ ...store, fresh: true });
    const report = await generateDirectorate(db, services, { scale: store.scale });
    log(`generated ${report.rows} rows in ${report.seconds.toFixed(0)} s (${report.rowsPerSecond} rows/s)`);
  } finally {
    await db.close();
  }
}

async function openStore(store: StoreOptions): Promise<Database> {
  const url = benchStoreUrl(store);
  return url
    ? openDatabase({ url, owner: 'cype bench' })
    : openDatabase({ dataDir: storeName(store), owner: 'cype bench' });
}

type Fetcher = (r: GraphQLRequest) => Promise<Record<string, unknown>>;

function inProcess(app: ReturnType<typeof createApp>): Fetcher {
  return async (r) => {
    const res = await app.fetch('http://bench.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(r),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (res.status !== 200 || body.errors?.length) {
      throw new Error(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    return body.data ?? {};
  };
}

/** One sample: the operation's requests in sequence (records-page: page 1, then page 2 with its cursor). */
async function sample(fetch: Fetcher, name: OperationName): Promise<Record<string, unknown>> {
  const [first] = operationRequests(name);
  const data = await fetch(first);
  if (name !== 'records-page') return data;
  const cursor = (data.earlyYears as { eyfsResults: { nextCursor: string | null } }).eyfsResults.nextCursor;
  const second = operationRequests(name, cursor)[1];
  return { first: data, second: await fetch(second) };
}

const now = () => performance.now();

async function measureOperation(store: StoreOptions, opts: BenchOptions, name: OperationName) {
  const iterations = opts.iterations ?? 50;
  const budget = (opts.budgetSeconds ?? 30) * 1000;
  // Cold: a new database connection and a new app (no dataloader, no prepared state), first request.
  const db = await openStore(store);
  const pool =
    store.kind === 'postgres' ? new pg.Pool({ connectionString: benchStoreUrl(store) as string, max: 10 }) : null;
  try {
    const app = createApp({
      db,
      services: opts.services,
      defaultViewer: ANALYST,
      access: { limits: BENCH_LIMITS, redisUrl: null },
      // The engine itself is measured: the cross-request result cache stays off (see cachedScorecard).
      cache: { enabled: false },
    });
    const fetch = inProcess(app);
    let t = now();
    const firstData = await sample(fetch, name);
    const coldMs = Math.round((now() - t) * 10) / 10;
    await sample(fetch, name); // warm-up
    const before = db.sqlCount;
    await sample(fetch, name);
    const sqlStatements = db.sqlCount - before;
    const samples: number[] = [];
    const started = now();
    while (samples.length < iterations && (samples.length < 5 || now() - started < budget)) {
      t = now();
      await sample(fetch, name);
      samples.push(now() - t);
    }

    const q: Query = pool
      ? async (sql, values) => (await pool.query(sql, values)).rows
      : (sql, values) => db.prisma.$queryRawUnsafe(sql, ...values);
    const setup = await floorSetup(q, opts.services);
    const floor = floorFor(name);
    const floorFirst = await floor(q, setup);
    await floor(q, setup);
    const floorSamples: number[] = [];
    const floorStarted = now();
    while (floorSamples.length < iterations && (floorSamples.length < 5 || now() - floorStarted < budget)) {
      t = now();
      await floor(q, setup);
      floorSamples.push(now() - t);
    }
    const check = name === 'scorecard' ? compareScorecard(firstData, floorFirst as ScorecardFigure[]) : '';
    return { coldMs, samples, sqlStatements, floorSamples, check };
  } finally {
    await pool?.end();
    await db.close();
  }
}

function floorFor(name: OperationName): (q: Query, s: FloorSetup) => Promise<unknown> {
  switch (name) {
    case 'scorecard':
      return (q, s) => floorScorecard(q, s, [PARAMS.area]);
    case 'scorecard-districts':
      return (q, s) =>
        floorScorecard(
          q,
          s,
          KENT_DISTRICTS.map((d) => d.code),
        );
    case 'service-breakdowns':
      return floorServiceBreakdowns;
    case 'cohort-overlap':
      return floorCohortOverlap;
    case 'records-page':
      return floorRecordsPage;
  }
}

/** The floor computes the same figures: compares the scorecard's values, statuses and directions. */
function compareScorecard(data: Record<string, unknown>, floor: ScorecardFigure[]): string {
  const rows = (data.scorecard as { rows: Record<string, unknown>[] }).rows;
  const differences: string[] = [];
  for (const row of rows) {
    const code = (row.indicator as { code: string }).code;
    const f = floor.find((x) => x.code === code);
    const value = (row.value as { value: number | null }).value;
    if (!f) {
      differences.push(`${code}: not in the floor`);
      continue;
    }
    const close = (a: number | null, b: number | null) =>
      a === null ? b === null : b !== null && Math.abs(a - b) < 1e-6;
    if (!close(value, f.value)) differences.push(`${code}: value ${value} vs floor ${f.value}`);
    if (row.status !== f.status) differences.push(`${code}: status ${row.status} vs floor ${f.status}`);
    if (row.direction !== f.direction) differences.push(`${code}: direction ${row.direction} vs floor ${f.direction}`);
    const national = (row.national as { value: number | null } | null)?.value ?? null;
    if (!close(national, f.national)) differences.push(`${code}: national ${national} vs floor ${f.national}`);
  }
  return differences.length
    ? `WARNING: the floor and the API disagree on the scorecard: ${differences.join('; ')}`
    : `The floor and the API agree on all ${rows.length} scorecard rows (value, status, direction, national).`;
}

// ---- Throughput --------------------------------------------------------------------------------------

/** The HTTP bodies of one sample (records-page: both pages, the second with a real cursor). */
async function sampleRequests(port: number, name: OperationName): Promise<GraphQLRequest[]> {
  const post = async (r: GraphQLRequest) => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(r),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`${name}: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data ?? {};
  };
  const [first] = operationRequests(name);
  const data = await post(first);
  if (name !== 'records-page') return [first];
  const cursor = (data.earlyYears as { eyfsResults: { nextCursor: string | null } }).eyfsResults.nextCursor;
  return operationRequests(name, cursor);
}

/** Completed samples per second (a sample = the operation's requests in sequence) at `connections` clients. */
async function throughput(
  port: number,
  requests: GraphQLRequest[],
  connections: number,
  seconds: number,
  log: (m: string) => void = () => {},
) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections,
    duration: seconds,
    timeout: 120,
    requests: requests.map((r) => ({
      method: 'POST' as const,
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(r),
    })),
  });
  if (result.non2xx || result.errors || result.timeouts) {
    // Counted as failures (not as throughput): e.g. requests over the server's execution time limit.
    log(`  ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts (not counted)`);
  }
  return Math.round((result['2xx'] / requests.length / result.duration) * 10) / 10;
}

// ---- Import ------------------------------------------------------------------------------------------

/** `core/people` rows through the import framework into an empty store (its geography only). */
async function measureImport(kind: DatabaseKind, rows: number, log: (m: string) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-bench-import-'));
  const file = path.join(dir, 'people.csv');
  log(`import: writing ${rows} rows of ${peopleFormat.name} to ${file}…`);
  writePeopleCsv(file, rows);
  const server = benchServer();
  const name = 'cype_bench_import';
  let db: Database | undefined;
  try {
    if (kind === 'postgres') {
      await createPgDatabase(server, name, { fresh: true });
      db = await openDatabase({ url: databaseUrl(server, name), migrate: true, owner: 'cype bench import' });
    } else {
      db = await openDatabase({ dataDir: path.join(dir, 'pglite'), migrate: true, owner: 'cype bench import' });
    }
    const target = db;
    await target.prisma.$transaction((tx) => seedGeography(tx));
    log(`import: running ${peopleFormat.name} on ${target.where}…`);
    const report = await runImport({ db: target, format: peopleFormat, input: file, ranBy: 'cype bench' });
    if (report.status !== 'SUCCEEDED') throw new Error(`import failed: ${report.message}`);
    const seconds = (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000;
    log(`import: ${report.rows} rows in ${seconds.toFixed(1)} s`);
    return { rows: report.rows, rowsPerSecond: Math.round(report.rows / seconds) };
  } finally {
    await db?.close();
    if (kind === 'postgres') await dropPgDatabase(server, name);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function writePeopleCsv(file: string, rows: number, seed = 1) {
  const rng = createRng(seed);
  const fd = fs.openSync(file, 'w');
  const sexes = ['F', 'M', 'U'];
  const ethnicities = ['WHITE', 'MIXED', 'ASIAN', 'BLACK', 'CHINESE', 'OTHER', 'UNCLASSIFIED'];
  try {
    let chunk = 'person_id,birth_month,sex,ethnicity_major,district_code\n';
    for (let i = 0; i < rows; i++) {
      const month = String(rng.int(1, 12)).padStart(2, '0');
      chunk += `I${String(i + 1).padStart(8, '0')},${rng.int(1998, 2017)}-${month},${sexes[rng.int(0, 2)]},${
        ethnicities[rng.int(0, 6)]
      },${weighted(rng, DISTRICT_WEIGHTS)}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

async function machine(store: StoreOptions): Promise<string> {
  const cpus = os.cpus();
  let database = 'PGlite';
  const url = benchStoreUrl(store);
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    database = ((await c.query('SHOW server_version')).rows[0].server_version as string).replace(/^/, 'PostgreSQL ');
    await c.end();
  }
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.arch()}, Node ${process.version}, ${database}`;
}

/** The table printed after a run. */
export function formatTable(results: BenchResults, cold: Cold[], cachedScorecardRps: number | null = null): string {
  const header = [
    'operation',
    'cold ms',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'SQL',
    'floor p50',
    'x floor',
    'rps@10',
    'rps@50',
  ];
  const lines = results.operations.map((o) => [
    o.name,
    String(cold.find((c) => c.name === o.name)?.coldMs ?? ''),
    o.p50Ms.toFixed(1),
    o.p95Ms.toFixed(1),
    o.p99Ms.toFixed(1),
    String(o.sqlStatements),
    o.floorP50Ms.toFixed(1),
    String(o.ratioToFloor),
    o.rps10 === null ? '-' : o.rps10.toFixed(1),
    o.rps50 === null ? '-' : o.rps50.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${results.db}, scale ${results.scale}, ${results.machine}`,
    row(header),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
    `scorecard with the result cache: ${cachedScorecardRps ?? '-'} rps at 50 clients; hello world: ${results.helloWorldRps ?? '-'} rps at 50 clients`,
    `import ${results.import.format}: ${results.import.rows} rows, ${results.import.rowsPerSecond ?? '-'} rows/s`,
    ...boundedWorkLines(results),
  ].join('\n');
}

/** Issue 15's measurements, as printed after the table. */
export function boundedWorkLines(results: BenchResults): string[] {
  const lines: string[] = [];
  const d = results.disproportionality;
  if (d) {
    const burst = (b: NonNullable<typeof d>['cold']) =>
      `${b.count503} × 503 (statuses ${Object.entries(b.statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}; ${b.withErrors} with errors), p50 ${b.p50Ms} / p95 ${b.p95Ms} / max ${b.maxMs} ms`;
    lines.push(
      `disproportionality, ${d.concurrency} concurrent (${d.role}, ${d.periods} periods each): cold ${burst(d.cold)}; warm ${burst(d.warm)}; /healthz during the cold burst: ${d.healthz.non200} of ${d.healthz.probes} not 200, max ${d.healthz.maxMs} ms`,
    );
  }
  const e = results.export;
  if (e) {
    const run = (r: NonNullable<typeof e>['cold']) =>
      `HTTP ${r.status}, ${r.bytes} bytes (${r.lines} lines), first byte ${r.firstByteMs} ms, last byte ${r.lastByteMs} ms${r.complete ? '' : ', INCOMPLETE'}`;
    lines.push(
      `largest export (${e.role}): ${e.codes} codes × ${e.areas} areas × ${e.periods} periods = ${e.cells} cells (limit ${e.maxCells}): cold ${run(e.cold)}; warm ${run(e.warm)}`,
    );
  }
  return lines;
}
