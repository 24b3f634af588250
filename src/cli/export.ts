// `cype export --codes … --area … --period …`: indicators as CSV in the EES tidy layout, the same figures
// the API serves (GET /export/indicators.csv). Run on the server's machine by an analyst, so nothing is
// suppressed unless --suppress asks for the partners' disclosure rules. --map-out writes the core/ees map
// that imports the file back. The same size limit as the API (CYPE_EXPORT_MAX_CELLS), and the file is
// written as it is computed, one area × period at a time.
import { once } from 'node:events';
import fs from 'node:fs';
import type { Command } from 'commander';
import { createContext } from '../context.js';
import { DEFAULT_LIMITS, exportLimitsFromEnv } from '../core/access/limits.js';
import { UserInputError } from '../core/errors.js';
import { exportCsvChunks, exportIndicators, exportMap, prepareExport } from '../core/ingest/export.js';
import { openDatabase } from '../db.js';
import { enabledServices } from '../schema.js';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerExportCommand(program: Command) {
  program
    .command('export')
    .description('Write indicators as CSV in the DfE open-data (EES) layout: one row per area x period x breakdown.')
    .requiredOption('--codes <codes>', 'indicator codes, comma-separated')
    .requiredOption('--area <codes>', 'area codes, comma-separated (e.g. E10000016)')
    .requiredOption('--period <codes>', 'period codes, comma-separated (e.g. "2016/2017|AY")')
    .option('--out <file>', 'write the CSV here instead of standard output')
    .option('--map-out <file>', 'also write the core/ees map that imports this file back')
    .option('--suppress', 'apply small-number suppression (what partners see)')
    .action(
      async (opts: {
        codes: string;
        area: string;
        period: string;
        out?: string;
        mapOut?: string;
        suppress?: boolean;
      }) => {
        const db = await openDatabase({ migrate: true, owner: 'cype export' });
        try {
          const ctx = createContext({ db, services: enabledServices(), disclosureControl: Boolean(opts.suppress) });
          const codes = list(opts.codes);
          const maxCells = exportLimitsFromEnv().maxExportCells ?? DEFAULT_LIMITS.maxExportCells;
          const prepared = await prepareExport(
            ctx,
            { codes, areas: list(opts.area), periods: list(opts.period) },
            maxCells,
          );
          const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
          for await (const chunk of exportCsvChunks(ctx, prepared)) {
            if (!out.write(chunk)) await once(out, 'drain');
          }
          if (opts.out)
            await new Promise<void>((resolve, reject) =>
              (out as fs.WriteStream).end((e?: Error) => (e ? reject(e) : resolve())),
            );
          if (opts.mapOut) {
            fs.writeFileSync(
              opts.mapOut,
              `${JSON.stringify(exportMap(await exportIndicators(ctx, codes)), null, 2)}\n`,
            );
          }
        } catch (e) {
          if (!(e instanceof UserInputError)) throw e;
          console.error(e.extensions.limit ? e.message : `--${e.extensions.argument ?? 'codes'}: ${e.message}`);
          process.exitCode = 1;
        } finally {
          await db.close();
        }
      },
    );
}
