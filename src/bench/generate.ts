// The benchmark's deterministic synthetic directorate: Kent x scale (scale 1 = about 300,000 children and
// young people, academic years 2012/13 to 2017/18), every enabled service's records through its own
// seed hook, and published figures for benchmarks: England's and the ten statistical neighbours' value of
// every indicator in every period of its type (with England's FSM and SEN groups, for national gaps), and a
// Kent target for every indicator and period. Everything goes through the batched writer (src/core/bulk),
// in one transaction, and is recorded as an Import row (`bench/generate`) naming the scale and seed.
import { createHash } from 'node:crypto';
import { type BulkColumn, bulkInsert } from '../core/bulk.js';
import { ENGLAND, KENT, NEIGHBOURS } from '../core/demo-areas.js';
import { seedGeography, seedPeople } from '../core/demo-population.js';
import type { Rng, ServicePlugin } from '../core/plugin.js';
import { syncIndicatorCatalogue } from '../core/reporting/catalogue.js';
import { type MaterialiseReport, materialiseFacts } from '../core/reporting/snapshots.js';
import type { IndicatorDefinition } from '../core/reporting/types.js';
import { createRng } from '../core/rng.js';
import type { Database, Tx } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';

export const GENERATE_FORMAT = 'bench/generate';
export const BENCH_SEED = 20180831;

export interface GenerateProgress {
  /** What is being written: `people`, a plugin's slug, `benchmarks`. */
  phase: string;
  /** Rows written so far, all phases. */
  rows: number;
  /** Seconds since the start. */
  seconds: number;
}

export interface GenerateReport {
  scale: number;
  seed: number;
  /** Rows written, by phase. */
  rowsByPhase: Record<string, number>;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  importId: number;
  /** Figures materialised after the load (snapshots.ts), and how long that took. */
  materialised: MaterialiseReport;
}

/**
 * The transaction client with every raw write counted: the batched writer and the plugins' seeds write
 * through `$executeRawUnsafe` (and `createMany` for small tables, counted by its result).
 */
function countingClient(tx: Tx, onRows: (n: number) => void): Tx {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === '$executeRawUnsafe' || prop === '$executeRaw') {
        return async (...args: unknown[]) => {
          const n = await (value as (...a: unknown[]) => Promise<number>).apply(target, args);
          onRows(n);
          return n;
        };
      }
      return value;
    },
  });
}

/** Writes the directorate at `scale` into an empty, migrated store. Throws if the store already has people. */
export async function generateDirectorate(
  db: Database,
  services: ServicePlugin[],
  {
    scale,
    seed = BENCH_SEED,
    onProgress,
  }: { scale: number; seed?: number; onProgress?: (p: GenerateProgress) => void },
): Promise<GenerateReport> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number; got ${scale}`);
  if ((await db.prisma.person.count({ take: 1 })) > 0) {
    throw new Error(`${db.where} already holds people: generate into an empty store (a new database or folder)`);
  }
  const started = Date.now();
  const startedAt = new Date();
  const rowsByPhase: Record<string, number> = {};
  let phase = 'geography';
  let rows = 0;
  const seconds = () => (Date.now() - started) / 1000;
  const count = (n: number) => {
    rows += n;
    rowsByPhase[phase] = (rowsByPhase[phase] ?? 0) + n;
    onProgress?.({ phase, rows, seconds: seconds() });
  };
  const begin = (name: string) => {
    phase = name;
    rowsByPhase[name] ??= 0;
    onProgress?.({ phase, rows, seconds: seconds() });
  };

  await db.prisma.$transaction(
    async (raw) => {
      const tx = countingClient(raw, count);
      begin('geography');
      await seedGeography(tx);
      begin('people');
      await seedPeople(tx, createRng(seed), scale);
      for (const service of services) {
        begin(service.slug);
        // Each plugin draws from its own stream, so adding a plugin leaves the others' data unchanged.
        await service.seed?.(tx, createRng(seed + streamOf(service.slug)), scale);
      }
      begin('benchmarks');
      await writeBenchmarks(tx, services, createRng(seed + streamOf('benchmarks')));
    },
    { timeout: 24 * 3600_000, maxWait: 60_000 },
  );
  const elapsed = seconds();
  // Fresh planner statistics, as autovacuum would gather after a bulk load: without them PostgreSQL plans
  // the facts queries for empty tables (nested loops over hundreds of thousands of rows).
  await db.prisma.$executeRawUnsafe('ANALYZE');
  // Materialised facts, as a seed leaves them (src/core/reporting/snapshots.ts); not part of rows/s.
  const materialised = await materialiseFacts(db, services);
  const imported = await db.prisma.import.create({
    data: {
      format: GENERATE_FORMAT,
      fileName: generatedName(scale, seed, services),
      sha256: createHash('sha256')
        .update(`${seed}:${scale}:${services.map((s) => s.slug).join(',')}`)
        .digest('hex'),
      rows,
      inserted: rows,
      status: 'SUCCEEDED',
      ranBy: 'cype generate',
      startedAt,
      finishedAt: new Date(),
      message: Object.entries(rowsByPhase)
        .map(([p, n]) => `${p} ${n}`)
        .join(', '),
    },
  });
  return {
    scale,
    seed,
    rowsByPhase,
    rows,
    seconds: elapsed,
    rowsPerSecond: Math.round(rows / Math.max(elapsed, 0.001)),
    importId: imported.id,
    materialised,
  };
}

/** The Import row's file name, which `cype bench` reads to know what a store holds. */
export function generatedName(scale: number, seed: number, services: ServicePlugin[]): string {
  return `(generated, scale ${scale}, seed ${seed}, services ${services.map((s) => s.slug).join(',') || 'none'})`;
}

/** The generated directorate a store holds (its Import row), or null. */
export async function generatedIn(db: Database): Promise<{ scale: number; seed: number; services: string[] } | null> {
  const row = await db.prisma.import.findFirst({
    where: { format: GENERATE_FORMAT, status: 'SUCCEEDED' },
    orderBy: { id: 'desc' },
  });
  const m = row?.fileName.match(/^\(generated, scale ([\d.e+-]+), seed (\d+), services ([^)]*)\)$/);
  if (!m) return null;
  return { scale: Number(m[1]), seed: Number(m[2]), services: m[3] === 'none' ? [] : m[3].split(',') };
}

function streamOf(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

// ---- Published figures and targets --------------------------------------------------------------------

/** A plausible level for an indicator's unit: what England's figure is drawn around. */
function typicalValue(def: IndicatorDefinition, rng: Rng): number {
  switch (def.unit) {
    case 'PERCENT':
      return 45 + rng.next() * 40;
    case 'RATE_PER_10K':
      return 20 + rng.next() * 300;
    case 'RATE_PER_100K':
      return 200 + rng.next() * 3000;
    case 'COUNT':
      return Math.round(500 + rng.next() * 5000);
    default:
      return 20 + rng.next() * 40;
  }
}

const round = (v: number, dp: number) => Math.round(v * 10 ** dp) / 10 ** dp;

interface ObservationRow {
  indicatorCode: string;
  areaCode: string;
  periodCode: string;
  breakdown: string;
  value: number;
  source: string;
}

interface TargetRow {
  indicatorCode: string;
  areaCode: string;
  periodCode: string;
  kind: 'TARGET';
  value: number;
}

const OBSERVATION_COLUMNS: BulkColumn<ObservationRow>[] = [
  { name: 'indicatorCode', type: 'text', get: (r) => r.indicatorCode },
  { name: 'areaCode', type: 'text', get: (r) => r.areaCode },
  { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  { name: 'breakdown', type: 'text', get: (r) => r.breakdown },
  { name: 'value', type: 'float8', get: (r) => r.value },
  { name: 'source', type: 'text', get: (r) => r.source },
];

const TARGET_COLUMNS: BulkColumn<TargetRow>[] = [
  { name: 'indicatorCode', type: 'text', get: (r) => r.indicatorCode },
  { name: 'areaCode', type: 'text', get: (r) => r.areaCode },
  { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  { name: 'kind', type: '"TargetKind"', get: (r) => r.kind },
  { name: 'value', type: 'float8', get: (r) => r.value },
];

/** Group pairs England publishes for each indicator, so national gaps exist. */
const NATIONAL_GROUPS: [string, number][] = [
  ['FSM', -0.12],
  ['NOT_FSM', 0.03],
  ['ANY_SEN', -0.3],
  ['NO_SEN', 0.05],
];

/**
 * England, every neighbour and a Kent target for every indicator in every stored period of its type.
 * Figures the plugins' seeds published already (from the seed documents) are kept: ON CONFLICT DO NOTHING.
 */
export async function writeBenchmarks(tx: Tx, services: ServicePlugin[], rng: Rng) {
  const indicators = services.flatMap((s) => s.indicators.map((i) => ({ def: i, service: s.key })));
  await syncIndicatorCatalogue(tx, services);
  const periods = await tx.period.findMany({ orderBy: { startDate: 'asc' } });
  const observations: ObservationRow[] = [];
  const targets: TargetRow[] = [];
  const source = 'synthetic benchmark figure';
  for (const { def } of indicators) {
    const base = typicalValue(def, rng);
    const own = periods.filter((p) => p.type === def.periodType && p.startDate.getUTCFullYear() >= 2012);
    const offsets = NEIGHBOURS.map(() => (rng.next() - 0.5) * 0.3);
    own.forEach((p, k) => {
      const level = base * (1 + 0.02 * k);
      const dp = def.decimalPlaces;
      const clamp = (v: number) => (def.unit === 'PERCENT' ? Math.min(100, Math.max(0, v)) : Math.max(0, v));
      observations.push({
        indicatorCode: def.code,
        areaCode: ENGLAND,
        periodCode: p.code,
        breakdown: 'TOTAL',
        value: round(clamp(level), dp),
        source,
      });
      for (const [group, shift] of NATIONAL_GROUPS) {
        observations.push({
          indicatorCode: def.code,
          areaCode: ENGLAND,
          periodCode: p.code,
          breakdown: group,
          value: round(clamp(level * (1 + shift)), dp),
          source,
        });
      }
      NEIGHBOURS.forEach((n, i) => {
        observations.push({
          indicatorCode: def.code,
          areaCode: n.code,
          periodCode: p.code,
          breakdown: 'TOTAL',
          value: round(clamp(level * (1 + offsets[i] + (rng.next() - 0.5) * 0.04)), dp),
          source,
        });
      });
      if (def.polarity !== 'NO_JUDGEMENT') {
        const better = def.polarity === 'HIGH_IS_GOOD' ? 1.04 : 0.96;
        targets.push({
          indicatorCode: def.code,
          areaCode: KENT,
          periodCode: p.code,
          kind: 'TARGET',
          value: round(clamp(level * better), dp),
        });
      }
    });
  }
  await bulkInsert(tx, 'Observation', OBSERVATION_COLUMNS, observations, {
    conflict: 'ON CONFLICT ("indicatorCode", "areaCode", "periodCode", "breakdown") DO NOTHING',
  });
  await bulkInsert(tx, 'Target', TARGET_COLUMNS, targets, { conflict: 'ON CONFLICT DO NOTHING' });
}
