// `cype import <format> <file.csv> [--dry-run]`: loads a CSV file through the ingestion framework into
// the store the server uses (CYPE_DATA_DIR or DATABASE_URL). A progress bar on a terminal, plain lines
// otherwise (logs, CI), a summary, at most 100 errors printed with the total, exit code 1 on any error.
import fs from 'node:fs';
import os from 'node:os';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  exampleCsv,
  type ImportFormat,
  type ImportProgress,
  type ImportReport,
  importFormats,
  runImport,
} from '../core/ingest/index.js';
import type { ServicePlugin } from '../core/plugin.js';
import { describeMaterialised, refreshSnapshots } from '../core/reporting/snapshots.js';
import { openDatabase } from '../db.js';
import { enabledServices } from '../schema.js';

export const MAX_PRINTED_ERRORS = 100;
const RESERVED = new Set(['dry-run', 'help']);

export function registerImportCommand(program: Command) {
  const services = safeServices();
  const cmd = program
    .command('import')
    .description('Load a CSV file (validated, all or nothing, idempotent) into the store; --help lists the formats.')
    .argument('[format]', 'format name, e.g. core/people')
    .argument('[file]', 'the CSV file (UTF-8, header row first)')
    .option('--dry-run', 'validate and count inserts and updates without writing anything');
  // Format options (e.g. core/ees --map map.json) are files whose content the format reads.
  const optionNames = new Set<string>();
  for (const f of importFormats(services)) {
    for (const o of f.options ?? []) {
      if (RESERVED.has(o.name) || optionNames.has(o.name)) continue;
      optionNames.add(o.name);
      cmd.option(`--${o.name} <file>`, `${f.name}: ${o.description}`);
    }
  }
  cmd.addHelpText('after', () => `\n${formatsHelp(importFormats(services))}`);
  cmd.action(async (formatName: string | undefined, file: string | undefined, opts: Record<string, unknown>) => {
    if (!formatName || !file) {
      cmd.outputHelp();
      process.exitCode = 1;
      return;
    }
    const formats = importFormats(services);
    const format = formats.find((f) => f.name === formatName);
    if (!format) {
      console.error(`Unknown format "${formatName}". Formats: ${formats.map((f) => f.name).join(', ')}`);
      process.exitCode = 1;
      return;
    }
    if (!fs.existsSync(file)) {
      console.error(`No such file: ${file}`);
      process.exitCode = 1;
      return;
    }
    const options: Record<string, string> = {};
    for (const o of format.options ?? []) {
      const path = opts[camel(o.name)];
      if (typeof path === 'string') options[o.name] = fs.readFileSync(path, 'utf8');
    }
    const db = await openDatabase({ migrate: true, owner: `cype import ${formatName} ${file}` });
    const progress = process.stderr.isTTY ? barProgress() : lineProgress();
    let report: ImportReport;
    try {
      report = await runImport({
        db,
        format,
        input: file,
        dryRun: Boolean(opts.dryRun),
        ranBy: `cype import (${os.userInfo().username}@${os.hostname()})`,
        options,
        services,
        onProgress: progress.update,
      });
      progress.stop();
      if (report.status === 'SUCCEEDED') {
        const refreshed = await refreshSnapshots(db, services, format.tables);
        if (refreshed?.snapshots) console.log(describeMaterialised(refreshed));
      }
    } finally {
      progress.stop();
      await db.close();
    }
    printReport(report, db.where);
    if (report.status === 'FAILED') process.exitCode = 1;
  });
}

function safeServices(): ServicePlugin[] {
  try {
    return enabledServices();
  } catch (e) {
    // A bad CYPE_SERVICES must not hide `import --help`; the server reports it when it starts.
    console.error((e as Error).message);
    return [];
  }
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function printReport(r: ImportReport, where: string, out: (s: string) => void = console.log) {
  const seconds = ((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1);
  const created = Object.entries(r.created)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  if (r.status === 'FAILED') {
    for (const e of r.errors.slice(0, MAX_PRINTED_ERRORS)) out(formatError(e));
    if (r.errorCount > MAX_PRINTED_ERRORS) {
      out(`… and ${r.errorCount - MAX_PRINTED_ERRORS} more (${r.errorCount} errors in all).`);
    }
    out(
      `${r.format} ${r.fileName}: ${r.errorCount} error${r.errorCount === 1 ? '' : 's'} in ${r.rows} rows; nothing was written (import #${r.importId}, ${where}).`,
    );
    return;
  }
  const verb = r.dryRun ? 'dry run, nothing written: would insert' : 'inserted';
  out(
    `${r.format} ${r.fileName}: ${r.rows} rows${r.skipped ? ` (${r.skipped} skipped)` : ''}; ${verb} ${r.inserted}, ` +
      `${r.dryRun ? 'update' : 'updated'} ${r.updated}, unchanged ${r.unchanged}` +
      `${created ? `; ${r.dryRun ? 'would create' : 'created'} ${created}` : ''} in ${seconds} s (import #${r.importId}, ${where}).`,
  );
}

export function formatError(e: { line: number; column: string; value: string; message: string }): string {
  const where = e.line
    ? [`line ${e.line}`, e.column ? `column ${e.column}` : ''].filter(Boolean).join(', ')
    : e.column
      ? `option --${e.column}`
      : 'file';
  return `${where}${e.value !== '' ? `, value "${e.value}"` : ''}: ${e.message}`;
}

export function formatsHelp(formats: ImportFormat[]): string {
  const lines = ['Formats (columns, expected values, an example):'];
  for (const f of formats) {
    lines.push('', `  ${f.name}`, ...wrap(f.description, 4));
    const width = Math.max(...f.columns.map((c) => c.name.length));
    for (const c of f.columns) {
      lines.push(`    ${c.name.padEnd(width)}  ${c.type}${c.required ? '' : ' (optional column)'}: ${c.description}`);
    }
    for (const o of f.options ?? []) {
      lines.push(`    --${o.name} <file>${o.required ? ' (required)' : ''}: ${o.description}`);
    }
    lines.push(
      '    example:',
      ...exampleCsv(f)
        .split('\n')
        .map((l) => `      ${l}`),
    );
  }
  return lines.join('\n');
}

function wrap(text: string, indent: number, width = 110): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width - indent) {
      out.push(' '.repeat(indent) + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(' '.repeat(indent) + line);
  return out;
}

export interface Progress {
  update(p: ImportProgress): void;
  stop(): void;
}

/** A bar with rows/s on a terminal: read by bytes, then write by rows. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: SingleBar | null = null;
  let phase = '';
  let started = Date.now();
  return {
    update(p) {
      if (p.phase !== phase) {
        bar?.stop();
        phase = p.phase;
        started = Date.now();
        const total = p.phase === 'read' ? (p.totalBytes ?? 0) : (p.total ?? 0);
        bar = new SingleBar({
          format: `${p.phase.padEnd(5)} |{bar}| {percentage}% | {rows} rows | {speed} rows/s | {duration_formatted}`,
          stream,
          hideCursor: true,
        });
        bar.start(Math.max(total, 1), 0, { rows: 0, speed: 0 });
      }
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const value = p.phase === 'read' ? (p.bytes ?? 0) : p.rows;
      bar?.update(value, { rows: p.rows, speed: Math.round(p.rows / seconds) });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Plain lines for logs: at most one a second while reading, one per written batch. */
export function lineProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  let last = 0;
  let phase = '';
  let started = Date.now();
  return {
    update(p) {
      const now = Date.now();
      if (p.phase !== phase) {
        phase = p.phase;
        started = now;
      } else if (p.phase === 'read' && now - last < 1000) return;
      last = now;
      const speed = Math.round(p.rows / Math.max((now - started) / 1000, 0.001));
      if (p.phase === 'read') {
        if (!p.rows) return;
        const pct = p.totalBytes ? ` (${Math.round((100 * (p.bytes ?? 0)) / p.totalBytes)}% of the file)` : '';
        stream.write(`read ${p.rows} rows${pct}, ${speed} rows/s\n`);
      } else if (p.phase === 'check') {
        stream.write(`checking references of ${p.rows} rows\n`);
      } else {
        stream.write(`writing ${p.rows}/${p.total} rows, ${speed} rows/s\n`);
      }
    },
    stop() {},
  };
}
