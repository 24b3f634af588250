// core/ees on the two real DfE files (BOM, LA columns in another order, symbols c x z k) and small
// synthetic files for each kind of error. Expected observations are computed from the CSV and the map.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { EES_DIR, fixture, importFixture, readCsv, snapshot } from './helpers.js';

let db: Database;
let tmp: string;
beforeAll(async () => {
  db = await createTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ees-'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface MapEntry {
  column: string;
  code: string;
  numerator?: string;
  denominator?: string;
  breakdown?: string;
  define?: unknown;
}
interface EesMapFile {
  indicators: MapEntry[];
  filters?: Record<string, Record<string, string | null>>;
}

const NEET = path.join(EES_DIR, 'neet_nk_la_2025.csv');
const CIN = path.join(EES_DIR, 'cin_cla_outcomes_ks4_la.csv');
const mapText = (name: string) => fs.readFileSync(fixture(`ees/${name}`), 'utf8');
const mapOf = (name: string) => JSON.parse(mapText(name)) as EesMapFile;

const SYMBOLS = new Set(['c', 'x', 'z', 'low', 'u']);
function cell(v: string): { value: number | null; symbol: string | null } {
  if (v === 'k') return { value: null, symbol: 'low' };
  if (SYMBOLS.has(v)) return { value: null, symbol: v };
  return { value: Number(v), symbol: null };
}

function areaCode(r: Record<string, string>): string {
  if (r.geographic_level === 'National') return r.country_code;
  if (r.geographic_level === 'Regional') return r.region_code;
  return r.new_la_code;
}

function periodCode(r: Record<string, string>): string {
  const tp = r.time_period;
  if (r.time_identifier === 'Academic year') return `${tp.slice(0, 4)}/${Number(tp.slice(0, 4)) + 1}|AY`;
  if (r.time_identifier === 'Calendar year') return `${tp}|CY`;
  throw new Error(`test does not know ${r.time_identifier}`);
}

/** Every observation the file and map should produce, keyed like the unique index. */
function expectedObservations(file: string, map: EesMapFile) {
  const out = new Map<
    string,
    { value: number | null; symbol: string | null; numerator: number | null; denominator: number | null }
  >();
  for (const r of readCsv(file)) {
    const groups = Object.entries(map.filters ?? {})
      .map(([col, values]) => values[r[col]] ?? values['*'])
      .filter((g): g is string => !!g && g !== 'TOTAL');
    for (const i of map.indicators) {
      const breakdown = [...groups, ...(i.breakdown ? [i.breakdown] : [])].join('+') || 'TOTAL';
      const v = cell(r[i.column]);
      out.set(`${i.code}|${areaCode(r)}|${periodCode(r)}|${breakdown}`, {
        ...v,
        numerator: i.numerator ? cell(r[i.numerator]).value : null,
        denominator: i.denominator ? cell(r[i.denominator]).value : null,
      });
    }
  }
  return out;
}

async function storedObservations(codes: string[]) {
  const rows = await db.prisma.observation.findMany({ where: { indicatorCode: { in: codes } } });
  return new Map(
    rows.map((o) => [
      `${o.indicatorCode}|${o.areaCode}|${o.periodCode}|${o.breakdown}`,
      { value: o.value, symbol: o.symbol, numerator: o.numerator, denominator: o.denominator },
    ]),
  );
}

describe('the NEET scorecard (Calendar year, one filter, breakdowns as their own columns)', () => {
  const map = mapOf('neet-map.json');
  const rows = readCsv(NEET);

  it('imports every mapped figure, creating the period, the areas and the map’s indicators', async () => {
    const r = await importFixture(db, 'core/ees', NEET, { options: { map: mapText('neet-map.json') } });
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('SUCCEEDED');
    const expected = expectedObservations(NEET, map);
    expect(expected.size).toBe(rows.length * map.indicators.length);
    expect(r.inserted).toBe(expected.size);
    const codes = [...new Set(map.indicators.map((i) => i.code))];
    expect(await storedObservations(codes)).toEqual(expected);

    const areas = new Set([
      ...rows.map((x) => x.country_code),
      ...rows.map((x) => x.region_code).filter(Boolean),
      ...rows.map((x) => x.new_la_code).filter(Boolean),
    ]);
    expect(r.created).toEqual({
      Period: new Set(rows.map((x) => x.time_period)).size,
      Indicator: codes.length,
      Area: areas.size,
    });
    const kentRow = rows.find((x) => x.la_name === 'Kent')!;
    expect(await db.prisma.area.findUnique({ where: { code: 'E10000016' } })).toMatchObject({
      name: 'Kent',
      level: 'LOCAL_AUTHORITY',
      parentCode: kentRow.region_code,
    });
    // Both symbols of this file arrive as symbols, with no value.
    const symbols = [...expected.values()].filter((o) => o.symbol);
    expect(new Set(symbols.map((o) => o.symbol))).toEqual(new Set(['c', 'z']));
  });

  it('reports 0 inserted, 0 updated, N unchanged the second time', async () => {
    const r = await importFixture(db, 'core/ees', NEET, { options: { map: mapText('neet-map.json') } });
    expect([r.inserted, r.updated, r.unchanged]).toEqual([0, 0, rows.length * map.indicators.length]);
    // The map's indicators exist now, so nothing is defined again.
    expect(r.created).toEqual({ Period: 0, Area: 0 });
  });

  it('a corrected file (one figure revised) updates exactly one observation', async () => {
    const text = fs.readFileSync(NEET, 'utf8');
    const kentLine = text.split('\n').findIndex((l) => l.includes(',Kent,'));
    const lines = text.split('\n');
    const header = lines[0].split(',');
    const cells = lines[kentLine].split(',');
    const col = header.indexOf('NEET_not_known_percent');
    const revised = String(Number(cells[col]) + 0.1);
    cells[col] = revised;
    lines[kentLine] = cells.join(',');
    const file = path.join(tmp, 'neet-revised.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const r = await importFixture(db, 'core/ees', file, { options: { map: mapText('neet-map.json') } });
    expect([r.inserted, r.updated, r.unchanged]).toEqual([0, 1, rows.length * map.indicators.length - 1]);
    const kent = await db.prisma.observation.findUniqueOrThrow({
      where: {
        indicatorCode_areaCode_periodCode_breakdown: {
          indicatorCode: 'PUB_NEET_NOT_KNOWN_16_17',
          areaCode: 'E10000016',
          periodCode: '2025|CY',
          breakdown: 'TOTAL',
        },
      },
    });
    expect(kent.value).toBe(Number(revised));
  });
});

describe('KS4 outcomes of children in need (BOM, LA columns reordered, symbols c x z k)', () => {
  const map = mapOf('cin-map.json');
  const rows = readCsv(CIN);

  it('starts with a BOM and puts new_la_code after la_name', () => {
    const head = fs.readFileSync(CIN).subarray(0, 200);
    expect([...head.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const cols = head.toString('utf8').slice(1).split('\n')[0].split(',');
    expect(cols.indexOf('new_la_code')).toBeGreaterThan(cols.indexOf('la_name'));
  });

  it('imports every mapped figure by filter group; legacy k is stored as low', async () => {
    const r = await importFixture(db, 'core/ees', CIN, { options: { map: mapText('cin-map.json') } });
    expect(r.errors).toEqual([]);
    const expected = expectedObservations(CIN, map);
    expect(expected.size).toBe(rows.length * map.indicators.length);
    expect(r.inserted).toBe(expected.size);
    expect(await storedObservations(map.indicators.map((i) => i.code))).toEqual(expected);
    const ks = rows.filter((x) => map.indicators.some((i) => x[i.column] === 'k')).length;
    expect(ks).toBeGreaterThan(0);
    expect(await db.prisma.observation.count({ where: { symbol: 'low' } })).toBe(
      [...expected.values()].filter((o) => o.symbol === 'low').length,
    );
    expect(await db.prisma.observation.count({ where: { symbol: 'k' } })).toBe(0);
    expect(r.created.Period).toBe(new Set(rows.map((x) => x.time_period)).size);
    const breakdowns = await db.prisma.observation.groupBy({
      by: ['breakdown'],
      where: { indicatorCode: 'PUB_KS4_BASICS_94' },
      _count: true,
    });
    expect(Object.fromEntries(breakdowns.map((b) => [b.breakdown, b._count]))).toEqual({
      CIN: rows.filter((x) => x.social_care_group === 'CINO at 31 March').length,
      CPP: rows.filter((x) => x.social_care_group === 'CPPO at 31 March').length,
      IN_CARE: rows.filter((x) => x.social_care_group === 'CLA 12 months at 31 March').length,
    });
  });

  it('reports 0 inserted, 0 updated, N unchanged the second time', async () => {
    const r = await importFixture(db, 'core/ees', CIN, { options: { map: mapText('cin-map.json') } });
    expect([r.inserted, r.updated, r.unchanged]).toEqual([0, 0, rows.length * map.indicators.length]);
  });

  it('leaves out rows whose filter value the map sends to null (dry run)', async () => {
    const only = { ...map, filters: { social_care_group: { 'CLA 12 months at 31 March': 'IN_CARE', '*': null } } };
    const before = await snapshot(db);
    const r = await importFixture(db, 'core/ees', CIN, { dryRun: true, options: { map: JSON.stringify(only) } });
    const inCare = rows.filter((x) => x.social_care_group === 'CLA 12 months at 31 March').length;
    expect(r.status).toBe('DRY_RUN');
    expect(r.skipped).toBe(rows.length - inCare);
    expect([r.inserted, r.updated, r.unchanged]).toEqual([0, 0, inCare * map.indicators.length]);
    expect(await snapshot(db)).toBe(before);
  });
});

describe('small files', () => {
  it('reads quoted names and every symbol (u, low, c, x, z, k)', async () => {
    const file = fixture('ees/small.csv');
    const r = await importFixture(db, 'core/ees', file, { options: { map: mapText('cin-map.json') } });
    expect(r.errors).toEqual([]);
    const expected = expectedObservations(file, mapOf('cin-map.json'));
    const stored = await storedObservations(mapOf('cin-map.json').indicators.map((i) => i.code));
    for (const [k, v] of expected) expect(stored.get(k)).toEqual(v);
    expect(new Set([...expected.values()].map((o) => o.symbol))).toEqual(new Set([null, 'u', 'low', 'c', 'x', 'z']));
    expect((await db.prisma.area.findUniqueOrThrow({ where: { code: 'E06000999' } })).name).toBe(
      'Testshire, County of',
    );
  });

  it('rejects bad cells, unmapped filter values, unknown levels, missing codes, bad periods and duplicates', async () => {
    const before = await snapshot(db);
    const r = await importFixture(db, 'core/ees', fixture('ees/bad.csv'), {
      options: { map: mapText('cin-map.json') },
    });
    expect(r.status).toBe('FAILED');
    expect(r.errors.map((e) => [e.line, e.column, e.value])).toEqual([
      [3, 'avg_att8', 'abc'],
      [4, 'social_care_group', 'Other group'],
      [5, 'geographic_level', 'School'],
      [6, 'new_la_code', ''],
      [7, 'time_period', '2024'],
      [8, expect.stringContaining('time_period'), expect.stringContaining('202324')],
    ]);
    expect(r.errors[0].message).toBe('expected a number or an EES symbol (c, x, z, low, u, k)');
    expect(r.errors[5].message).toMatch(/duplicate key: line 2/);
    expect(await snapshot(db)).toBe(before);
  });

  it('rejects a map that is not JSON, names an unknown indicator, or a file missing a mapped column', async () => {
    const small = fixture('ees/small.csv');
    const notJson = await importFixture(db, 'core/ees', small, { options: { map: '{ indicators: ' } });
    expect(notJson.errors).toEqual([expect.objectContaining({ line: 0, column: 'map' })]);
    expect(notJson.errors[0].message).toMatch(/not JSON/);

    const unknown = await importFixture(db, 'core/ees', small, {
      options: { map: JSON.stringify({ indicators: [{ column: 'avg_att8', code: 'NOT_IN_CATALOGUE' }] }) },
    });
    expect(unknown.errors[0]).toMatchObject({ line: 0, column: 'map' });
    expect(unknown.errors[0].message).toMatch(/NOT_IN_CATALOGUE not in the catalogue/);

    const missing = await importFixture(db, 'core/ees', small, {
      options: { map: JSON.stringify({ indicators: [{ column: 'pt_ebacc', code: 'PUB_KS4_ATTAINMENT8' }] }) },
    });
    expect(missing.errors).toEqual([expect.objectContaining({ line: 1, column: 'pt_ebacc' })]);

    const noMap = await importFixture(db, 'core/ees', small);
    expect(noMap.errors[0]).toMatchObject({ line: 0, column: 'map' });
    for (const r of [notJson, unknown, missing, noMap]) expect(r.status).toBe('FAILED');
  });

  it('with "unknownAreas": "error", an area the store lacks is an error instead of being created', async () => {
    const map = { ...mapOf('cin-map.json'), unknownAreas: 'error' };
    const file = path.join(tmp, 'new-area.csv');
    const text = fs.readFileSync(fixture('ees/small.csv'), 'utf8').replace('E06000999', 'E06000099');
    fs.writeFileSync(file, text);
    const r = await importFixture(db, 'core/ees', file, { options: { map: JSON.stringify(map) } });
    expect(r.errors.map((e) => [e.line, e.column, e.value])).toEqual([[4, 'new_la_code', 'E06000099']]);
    expect(await db.prisma.area.findUnique({ where: { code: 'E06000099' } })).toBeNull();
  });
});
