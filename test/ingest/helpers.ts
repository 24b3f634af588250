// Test kit for the ingestion tests: fixture paths, an independent CSV reader for expected values (the
// csv-parse library in its simplest form, none of the framework's logic), and a one-line import call.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { findImportFormat, type ImportReport, runImport } from '../../src/core/ingest/index.js';
import type { Database } from '../../src/db.js';

export const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
export const EES_DIR = '/work/shared/data/ees';

export const fixture = (name: string) => path.join(FIXTURES, name);

/** The fixture's data rows keyed by header, read without any of the framework's code. */
export function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true });
}

export async function importFixture(
  db: Database,
  format: string,
  file: string,
  opts: { dryRun?: boolean; options?: Record<string, string> } = {},
): Promise<ImportReport> {
  const f = findImportFormat(format, []);
  if (!f) throw new Error(`no format ${format}`);
  return runImport({ db, format: f, input: file.startsWith('/') ? file : fixture(file), ranBy: 'vitest', ...opts });
}

/** Counts of every core table (to prove a failed import wrote nothing). */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const p = db.prisma;
  return {
    Area: await p.area.count(),
    StatisticalNeighbour: await p.statisticalNeighbour.count(),
    Person: await p.person.count(),
    PersonCharacteristic: await p.personCharacteristic.count(),
    Period: await p.period.count(),
    Indicator: await p.indicator.count(),
    Observation: await p.observation.count(),
    Target: await p.target.count(),
  };
}

/** Everything stored in the tables an import may touch, as one comparable string. */
export async function snapshot(db: Database): Promise<string> {
  const p = db.prisma;
  return JSON.stringify([
    await p.area.findMany({ orderBy: { code: 'asc' } }),
    await p.statisticalNeighbour.findMany({ orderBy: [{ laCode: 'asc' }, { neighbourCode: 'asc' }] }),
    await p.person.findMany({ orderBy: { id: 'asc' } }),
    await p.personCharacteristic.findMany({ orderBy: [{ personId: 'asc' }, { periodCode: 'asc' }] }),
    await p.period.findMany({ orderBy: { code: 'asc' } }),
    await p.target.findMany({
      orderBy: [{ indicatorCode: 'asc' }, { areaCode: 'asc' }, { periodCode: 'asc' }, { kind: 'asc' }],
    }),
    await p.observation.findMany({ orderBy: { id: 'asc' } }),
  ]);
}
