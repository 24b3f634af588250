// Issue 15's two measurements of bounded work, against the real HTTP server in its own process (the load
// generator gets the other core), as a PUBLIC API key (disclosure control on: every count published by the
// cell key method), the result cache on and in the server's memory (no Redis), rate limits out of the way
// (the benchmark is one client):
//
// - 20 concurrent `youthJustice { disproportionality }` requests, each a different cohort × dimension (× area)
//   over every financial year the store holds, as issue 15's attacker sent them: cold (a fresh server, an
//   empty result cache, and the population aged 10 to 17 not stored, as after an import of people), then the
//   same 20 again (warm). Statuses, 503s and latencies, and /healthz polled during the cold burst.
// - The largest export the limits allow: GET /export/indicators.csv with codes × areas × periods as close to
//   CYPE_EXPORT_MAX_CELLS as the store's indicators, areas and periods allow, read to its last byte, cold
//   (a fresh server) and warm (the same request again).
import { POPULATION_10_17 } from '../../services/youth-justice/disproportionality.js';
import { createKey } from '../core/access/keys.js';
import { DEFAULT_LIMITS, exportLimitsFromEnv } from '../core/access/limits.js';
import { KENT, KENT_DISTRICTS } from '../core/demo-areas.js';
import type { Database } from '../db.js';
import type { GraphQLRequest } from './operations.js';
import { type Burst, type DisproportionalityResult, type ExportResult, type ExportRun, percentile } from './results.js';
import { startServer } from './server-process.js';

export const EXPORT_PATH = '/export/indicators.csv';

/** The server's settings for these steps: result cache in its memory, PUBLIC not rate-limited. */
const SERVER_ENV = { CYPE_CACHE: 'on', REDIS_URL: '', CYPE_RATE_LIMITS: 'PUBLIC=1000000000' };

const now = () => performance.now();
const round = (ms: number) => Math.round(ms * 10) / 10;

export const DISPROPORTIONALITY_COHORTS = ['FIRST_TIME_ENTRANTS', 'REOFFENDERS', 'CUSTODY'] as const;
export const DISPROPORTIONALITY_DIMENSIONS = ['ETHNICITY_MAJOR', 'IN_CARE', 'SEN_STATUS', 'FSM', 'EAL', 'SEX'] as const;

/** One request's document: the relative rates of one cohort × dimension in one area, for each of `periods` periods. */
export function disproportionalityDocument(periods: number): string {
  const variables = Array.from({ length: periods }, (_, i) => `$p${i + 1}: String!`).join(', ');
  const fields = Array.from(
    { length: periods },
    (_, i) =>
      `    p${i + 1}: disproportionality(cohort: $cohort, dimension: $dimension, period: $p${i + 1}, area: $area) { ...Rates }`,
  ).join('\n');
  return `query BenchDisproportionality($cohort: YouthJusticeCohort!, $dimension: DisproportionalityDimension!, $area: String!, ${variables}) {
  youthJustice {
${fields}
  }
}

fragment Rates on YouthJusticeDisproportionality {
  cohortSize { formatted }
  population { formatted }
  groups { group cohortCount { formatted } cohortShare { formatted } populationShare { formatted } rri { formatted } lower upper significant }
}`;
}

/**
 * `n` different requests: every cohort × dimension in Kent, then again in each of its districts in turn, each
 * asking for every one of `periods`.
 */
export function disproportionalityRequests(n: number, periods: string[]): GraphQLRequest[] {
  const query = disproportionalityDocument(periods.length);
  const pairs = DISPROPORTIONALITY_COHORTS.flatMap((cohort) =>
    DISPROPORTIONALITY_DIMENSIONS.map((dimension) => ({ cohort, dimension })),
  );
  const areas = [KENT, ...KENT_DISTRICTS.map((d) => d.code)];
  return Array.from({ length: n }, (_, i) => ({
    query,
    variables: {
      ...pairs[i % pairs.length],
      area: areas[Math.floor(i / pairs.length) % areas.length],
      ...Object.fromEntries(periods.map((p, k) => [`p${k + 1}`, p])),
    },
  }));
}

interface Answer {
  status: string;
  ms: number;
  errors: boolean;
}

async function post(port: number, headers: Record<string, string>, r: GraphQLRequest): Promise<Answer> {
  const t = now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(r),
    });
    const text = await res.text();
    let errors = true;
    try {
      errors = Boolean((JSON.parse(text) as { errors?: unknown[] }).errors?.length);
    } catch {}
    return { status: String(res.status), ms: now() - t, errors };
  } catch {
    return { status: 'network', ms: now() - t, errors: true };
  }
}

/** Sends every request at once and waits for every answer. */
export async function burst(port: number, headers: Record<string, string>, requests: GraphQLRequest[]): Promise<Burst> {
  const started = now();
  const answers = await Promise.all(requests.map((r) => post(port, headers, r)));
  const wallMs = now() - started;
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const ms = answers.map((a) => a.ms);
  return {
    requests: answers.length,
    statuses,
    count503: statuses['503'] ?? 0,
    withErrors: answers.filter((a) => a.errors).length,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    maxMs: round(Math.max(...ms)),
    wallMs: round(wallMs),
  };
}

/** Polls /healthz every `everyMs` until `until` settles. */
async function pollHealth(port: number, until: Promise<unknown>, everyMs = 250) {
  let done = false;
  until.finally(() => {
    done = true;
  });
  const probes: { ms: number; ok: boolean }[] = [];
  while (!done) {
    const t = now();
    let ok = false;
    try {
      ok = (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
    } catch {}
    probes.push({ ms: now() - t, ok });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return {
    probes: probes.length,
    non200: probes.filter((p) => !p.ok).length,
    maxMs: round(Math.max(0, ...probes.map((p) => p.ms))),
  };
}

async function graphql<T>(port: number, headers: Record<string, string>, query: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors?.length || !body.data) {
    throw new Error(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  }
  return body.data;
}

/** A PUBLIC API key in the bench store for the duration of `fn`, deleted afterwards. */
async function withPublicKey<T>(db: Database, fn: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const { key, row } = await createKey(db, { name: 'cype bench (issue 15 measurements)', role: 'PUBLIC' });
  try {
    return await fn({ authorization: `Bearer ${key}` });
  } finally {
    await db.prisma.apiKey.delete({ where: { id: row.id } });
  }
}

export interface BoundedWorkOptions {
  /** The bench store: its URL or PGlite folder, as serve.ts takes it. */
  where: string;
  db: Database;
  /** Requests sent at once (0 skips the step). */
  concurrency: number;
  /** Whether to measure the largest export. */
  exportStep: boolean;
  /** Whether Youth Justice is enabled (else there is no disproportionality to ask for). */
  youthJustice: boolean;
  log: (m: string) => void;
}

export async function measureBoundedWork(
  opts: BoundedWorkOptions,
): Promise<{ disproportionality: DisproportionalityResult | null; export: ExportResult | null }> {
  return withPublicKey(opts.db, async (headers) => ({
    disproportionality:
      opts.concurrency > 0 && opts.youthJustice ? await measureDisproportionality(opts, headers) : null,
    export: opts.exportStep ? await measureLargestExport(opts, headers) : null,
  }));
}

async function measureDisproportionality(
  { where, db, concurrency, log }: BoundedWorkOptions,
  headers: Record<string, string>,
): Promise<DisproportionalityResult> {
  // As after an import of people: the population aged 10 to 17 is computed again by the first requests.
  await db.prisma.factsSnapshot.deleteMany({ where: { indicatorCode: POPULATION_10_17.code } });
  const server = await startServer(['app', where], SERVER_ENV);
  try {
    // Every financial year the store holds (issue 15's attacker asked for eight), read from the database so
    // that nothing reaches the fresh server before the burst.
    const periods = (
      await db.prisma.period.findMany({ where: { type: 'FINANCIAL_YEAR' }, orderBy: { startDate: 'asc' } })
    ).map((p) => p.code);
    const requests = disproportionalityRequests(concurrency, periods);
    log(`disproportionality: ${concurrency} concurrent requests (${periods.length} financial years each), cold…`);
    const coldBurst = burst(server.port, headers, requests);
    const [cold, healthz] = await Promise.all([coldBurst, pollHealth(server.port, coldBurst)]);
    log(`disproportionality: the same ${concurrency} again, warm…`);
    const warm = await burst(server.port, headers, requests);
    return { role: 'PUBLIC', concurrency, periods: periods.length, cold, warm, healthz };
  } finally {
    await server.stop();
  }
}

interface Catalogue {
  indicators: { code: string; periodType: string }[];
  areas: { code: string; level: string }[];
  periods: { code: string; type: string; start: string }[];
}

/**
 * The export request with the most cells within `maxCells`; among those, the most cells that carry a figure
 * (an indicator in a period of its own type: the others are `z`). Codes are taken by period type, the most
 * common type first; areas Kent, its districts, England, the other local authorities, the regions; periods
 * of the indicators' types in the same order, oldest first, then the others.
 */
export function largestExport(catalogue: Catalogue, maxCells: number) {
  const typeCount = new Map<string, number>();
  for (const i of catalogue.indicators) typeCount.set(i.periodType, (typeCount.get(i.periodType) ?? 0) + 1);
  const typeRank = (t: string) => {
    const order = [...typeCount.entries()].sort((a, b) => b[1] - a[1]).map(([type]) => type);
    return order.includes(t) ? order.indexOf(t) : order.length;
  };
  const codes = [...catalogue.indicators].sort((a, b) => typeRank(a.periodType) - typeRank(b.periodType));
  const districts = new Set(KENT_DISTRICTS.map((d) => d.code));
  const areaRank = (a: { code: string; level: string }) =>
    a.code === KENT
      ? 0
      : districts.has(a.code)
        ? 1
        : a.level === 'NATIONAL'
          ? 2
          : a.level === 'LOCAL_AUTHORITY'
            ? 3
            : a.level === 'REGIONAL'
              ? 4
              : 5;
  const areas = [...catalogue.areas].sort((a, b) => areaRank(a) - areaRank(b) || a.code.localeCompare(b.code));
  const periods = [...catalogue.periods].sort(
    (a, b) => typeRank(a.type) - typeRank(b.type) || a.start.localeCompare(b.start),
  );
  let best = { c: 0, a: 0, p: 0, cells: 0, figures: 0 };
  for (let c = 1; c <= codes.length; c++) {
    for (let p = 1; p <= periods.length; p++) {
      // Cells with a figure per area: each chosen code × each chosen period of its type.
      let pairs = 0;
      for (const code of codes.slice(0, c))
        for (const period of periods.slice(0, p)) if (period.type === code.periodType) pairs++;
      const a = Math.min(areas.length, Math.floor(maxCells / (c * p)));
      if (a < 1) continue;
      const cells = c * a * p;
      const figures = pairs * a;
      if (cells > best.cells || (cells === best.cells && figures > best.figures)) best = { c, a, p, cells, figures };
    }
  }
  return {
    codes: codes.slice(0, best.c).map((i) => i.code),
    areas: areas.slice(0, best.a).map((a) => a.code),
    periods: periods.slice(0, best.p).map((p) => p.code),
    cells: best.cells,
  };
}

/** GET of the export, read to its last byte. */
async function getExport(port: number, headers: Record<string, string>, query: string): Promise<ExportRun> {
  const t = now();
  const res = await fetch(`http://127.0.0.1:${port}${EXPORT_PATH}?${query}`, { headers });
  const firstByteMs = now() - t;
  let bytes = 0;
  let lines = 0;
  let complete = true;
  try {
    const reader = res.body?.getReader();
    for (let r = await reader?.read(); reader && r && !r.done; r = await reader.read()) {
      bytes += r.value.byteLength;
      for (const x of r.value) if (x === 10) lines++;
    }
  } catch {
    complete = false;
  }
  return {
    status: res.status,
    bytes,
    lines,
    firstByteMs: round(firstByteMs),
    lastByteMs: round(now() - t),
    complete: complete && res.status === 200,
  };
}

async function measureLargestExport(
  { where, log }: BoundedWorkOptions,
  headers: Record<string, string>,
): Promise<ExportResult> {
  // The limit as the server reads it (serve.ts's limits set no export limit of their own).
  const maxCells = { ...DEFAULT_LIMITS, ...exportLimitsFromEnv() }.maxExportCells;
  const server = await startServer(['app', where], SERVER_ENV);
  try {
    // What PUBLIC can export (this request fills no figure into the result cache).
    const catalogue = await graphql<Catalogue>(
      server.port,
      headers,
      '{ indicators { code periodType } areas { code level } periods { code type start } }',
    );
    const req = largestExport(catalogue, maxCells);
    const query = new URLSearchParams({
      codes: req.codes.join(','),
      area: req.areas.join(','),
      period: req.periods.join(','),
    }).toString();
    log(
      `export: ${req.codes.length} codes × ${req.areas.length} areas × ${req.periods.length} periods = ${req.cells} cells (limit ${maxCells}), cold…`,
    );
    const cold = await getExport(server.port, headers, query);
    log('export: the same again, warm…');
    const warm = await getExport(server.port, headers, query);
    return {
      role: 'PUBLIC',
      maxCells,
      cells: req.cells,
      codes: req.codes.length,
      areas: req.areas.length,
      periods: req.periods.length,
      cold,
      warm,
    };
  } finally {
    await server.stop();
  }
}
