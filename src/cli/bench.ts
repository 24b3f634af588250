// `cype bench [--db pglite|postgres] [--scale N]` (npm run bench): generates the directorate when the bench
// store does not hold it, runs the five fixed operations (src/bench/run.ts) and issue 15's concurrent
// disproportionality requests and largest export (src/bench/bounded-work.ts), prints one table and writes
// bench/results.json.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatTable, RESULTS_FILE, runBench } from '../bench/run.js';
import { enabledServices } from '../schema.js';
import { parseKind, parseScale } from './generate.js';

interface BenchCliOptions {
  db: string;
  scale: string;
  iterations: string;
  budget: string;
  duration: string;
  importRows: string;
  concurrent: string;
  export: boolean;
  dataDir?: string;
  out: string;
}

const whole = (value: string, option: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${option} must be a whole number, 0 or more; got "${value}"`);
  return n;
};

export function registerBenchCommand(program: Command) {
  program
    .command('bench')
    .description(
      'Benchmark the five fixed operations (cold, warm, SQL, floor, throughput), concurrent disproportionality requests, the largest export and the import path.',
    )
    .option('--db <kind>', 'pglite or postgres', 'postgres')
    .option('--scale <n>', 'directorate size (1 = Kent)', '1')
    .option('--iterations <n>', 'warm samples per operation (at most)', '50')
    .option('--budget <seconds>', 'time budget for one operation’s warm samples', '30')
    .option('--duration <seconds>', 'seconds per throughput run; 0 skips throughput', '10')
    .option('--import-rows <n>', 'rows for the import measurement; 0 skips it', '1000000')
    .option('--concurrent <n>', 'concurrent disproportionality requests (issue 15); 0 skips them', '20')
    .option('--no-export', 'skip the largest export the limits allow (issue 15)')
    .option('--data-dir <dir>', 'PGlite folder (default .bench/pglite-s<scale>)')
    .option('--out <file>', 'where to write the results', path.relative(process.cwd(), RESULTS_FILE))
    .action(async (opts: BenchCliOptions) => {
      const { results, cold, cachedScorecardRps } = await runBench({
        kind: parseKind(opts.db),
        scale: parseScale(opts.scale),
        services: enabledServices(),
        iterations: whole(opts.iterations, '--iterations'),
        budgetSeconds: whole(opts.budget, '--budget'),
        durationSeconds: whole(opts.duration, '--duration'),
        importRows: whole(opts.importRows, '--import-rows'),
        concurrency: whole(opts.concurrent, '--concurrent'),
        exportStep: opts.export,
        dataDir: opts.dataDir,
        log: (m) => console.error(m),
      });
      console.log(formatTable(results, cold, cachedScorecardRps));
      fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      fs.writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`Wrote ${opts.out}`);
    });
}
