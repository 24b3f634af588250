// `cype generate --scale N [--db pglite|postgres] [--data-dir D]`: writes the benchmark's deterministic
// synthetic directorate (src/bench/generate.ts) into a fresh bench store and reports rows/s: a progress
// bar on a terminal, a line per phase otherwise.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { BENCH_SEED, type GenerateProgress, generateDirectorate } from '../bench/generate.js';
import { openBenchStore, storeName } from '../bench/store.js';
import { describeMaterialised } from '../core/reporting/snapshots.js';
import type { DatabaseKind } from '../db.js';
import { enabledServices } from '../schema.js';

export interface GenerateOptions {
  scale: string;
  db: string;
  dataDir?: string;
  database?: string;
  seed: string;
}

export function parseScale(value: string, option = '--scale'): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new Error(`${option} must be a number above 0 and at most 100; got "${value}"`);
  return n;
}

export function parseKind(value: string): DatabaseKind {
  if (value !== 'pglite' && value !== 'postgres') throw new Error(`--db must be pglite or postgres; got "${value}"`);
  return value;
}

/** About how many rows a scale writes (for the bar's total): measured at scale 1. */
export const ROWS_AT_SCALE_1 = 3_200_000;

export function registerGenerateCommand(program: Command) {
  program
    .command('generate')
    .description(
      'Write the deterministic benchmark directorate (Kent x scale: people, every service, benchmarks) into a fresh bench store.',
    )
    .option('--scale <n>', 'size: 1 = a Kent-sized directorate (about 300,000 children)', '1')
    .option('--db <kind>', 'pglite or postgres', 'postgres')
    .option('--data-dir <dir>', 'PGlite folder (default .bench/pglite-s<scale>)')
    .option('--database <name>', 'PostgreSQL database on BENCH_DATABASE_URL’s server (default cype_bench_s<scale>)')
    .option('--seed <n>', 'random seed', String(BENCH_SEED))
    .action(async (opts: GenerateOptions) => {
      const scale = parseScale(opts.scale);
      const kind = parseKind(opts.db);
      const store = { kind, scale, dataDir: opts.dataDir, database: opts.database };
      const db = await openBenchStore({ ...store, fresh: true });
      const services = enabledServices();
      console.error(
        `Generating scale ${scale} into ${storeName(store)} (${db.where}), services: ${services.map((s) => s.slug).join(', ')}`,
      );
      const progress = process.stderr.isTTY ? barProgress(scale) : lineProgress();
      try {
        const report = await generateDirectorate(db, services, {
          scale,
          seed: Number(opts.seed),
          onProgress: progress.update,
        });
        progress.stop();
        for (const [phase, rows] of Object.entries(report.rowsByPhase))
          console.log(`  ${phase.padEnd(20)} ${rows} rows`);
        console.log(
          `Generated ${report.rows} rows in ${report.seconds.toFixed(1)} s (${report.rowsPerSecond} rows/s), ` +
            `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (import #${report.importId}).`,
        );
        console.log(`Then: ${describeMaterialised(report.materialised)}`);
      } finally {
        progress.stop();
        await db.close();
      }
    });
}

interface Progress {
  update(p: GenerateProgress): void;
  stop(): void;
}

function barProgress(scale: number): Progress {
  const bar = new SingleBar({
    format: '{phase} |{bar}| {rows} rows | {speed} rows/s | {duration_formatted}',
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(Math.round(ROWS_AT_SCALE_1 * scale), 0, { phase: p.phase.padEnd(18), rows: 0, speed: 0 });
        started = true;
      }
      bar.setTotal(Math.max(bar.getTotal(), p.rows));
      bar.update(p.rows, {
        phase: p.phase.padEnd(18),
        rows: p.rows,
        speed: Math.round(p.rows / Math.max(p.seconds, 0.001)),
      });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineProgress(): Progress {
  let phase = '';
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (p.phase === phase && now - last < 5000) return;
      phase = p.phase;
      last = now;
      process.stderr.write(
        `${p.phase}: ${p.rows} rows so far, ${Math.round(p.rows / Math.max(p.seconds, 0.001))} rows/s\n`,
      );
    },
    stop() {},
  };
}
