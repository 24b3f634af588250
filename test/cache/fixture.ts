// Fixture for the result-cache tests: Kent's geography, twelve people and reading-pilot enrolments, all
// loaded through the import path (so every load invalidates like a real one), plus a test-only import
// format for the pilot's table. Expected figures are computed in the tests from the rows listed here.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { createApp } from '../../src/app.js';
import { ANALYST } from '../../src/context.js';
import { KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { boolean, integer, isoDate, text } from '../../src/core/ingest/fields.js';
import { peopleFormat } from '../../src/core/ingest/formats/people.js';
import { runImport } from '../../src/core/ingest/run.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import { tableWriter } from '../../src/core/ingest/upsert.js';
import type { ServicePlugin } from '../../src/core/plugin.js';
import type { ResultCacheOptions } from '../../src/core/reporting/cache.js';
import type { Database } from '../../src/db.js';
import { recorded } from '../harness.js';
import { readingPilot } from '../pilot/plugin.js';
import { ENROLMENT_COLUMNS, type EnrolmentInput } from '../pilot/seed.js';

export const AY = '2016/2017|AY';
export const [D1, D2, D3] = KENT_DISTRICTS.map((d) => d.code);

/** `cache-test/enrolments`: reading-pilot enrolments, upserted on (person, period). */
export const enrolmentsFormat: ImportFormat<EnrolmentInput> = {
  name: 'cache-test/enrolments',
  description: 'Reading pilot enrolments (test format).',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'Person.' },
    { name: 'period', type: 'period code', required: true, description: 'Academic year.' },
    { name: 'district_code', type: 'area code', required: true, description: 'District.' },
    { name: 'enrolled_on', type: 'date YYYY-MM-DD', required: true, description: 'Enrolment date.' },
    { name: 'completed', type: 'boolean', required: true, description: 'Completed the programme.' },
    { name: 'books_read', type: 'whole number', required: true, description: 'Books read.' },
  ],
  example: {},
  row: z
    .object({
      person_id: text(),
      period: text(),
      district_code: text(),
      enrolled_on: isoDate(),
      completed: boolean(),
      books_read: integer({ min: 0 }),
    })
    .transform((r) => ({
      personId: r.person_id,
      periodCode: r.period,
      districtCode: r.district_code,
      enrolledOn: r.enrolled_on,
      completed: r.completed,
      booksRead: r.books_read,
    })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${r.periodCode}`,
  keyColumns: ['person_id', 'period'],
  write: tableWriter({
    table: 'ReadingPilotEnrolment',
    key: ENROLMENT_COLUMNS.slice(0, 2),
    values: ENROLMENT_COLUMNS.slice(2),
  }),
  tables: ['ReadingPilotEnrolment'],
};

/** The reading pilot with an importer for its table. */
export const pilot: ServicePlugin = { ...readingPilot, importers: [enrolmentsFormat] };

export interface Enrolment {
  person: string;
  district: string;
  completed: boolean;
}

export const PEOPLE = Array.from({ length: 12 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);

/** First load: 3 in D1 (2 completed), 6 in D2 (4 completed), 1 in D3 (completed). */
export const FIRST: Enrolment[] = [
  { person: 'P01', district: D1, completed: true },
  { person: 'P02', district: D1, completed: false },
  { person: 'P03', district: D1, completed: true },
  { person: 'P04', district: D2, completed: true },
  { person: 'P05', district: D2, completed: true },
  { person: 'P06', district: D2, completed: false },
  { person: 'P07', district: D2, completed: true },
  { person: 'P08', district: D2, completed: false },
  { person: 'P09', district: D2, completed: true },
  { person: 'P10', district: D3, completed: true },
];

/** Second load: P02 now completed (an update), P11 and P12 join D1 (one completed). */
export const SECOND: Enrolment[] = [
  { person: 'P02', district: D1, completed: true },
  { person: 'P11', district: D1, completed: true },
  { person: 'P12', district: D1, completed: false },
];

export function enrolmentsCsv(rows: Enrolment[]): string {
  return [
    'person_id,period,district_code,enrolled_on,completed,books_read',
    ...rows.map((r) => `${r.person},${AY},${r.district},2016-09-05,${r.completed},3`),
  ].join('\n');
}

export async function importCsv(db: Database, format: ImportFormat, csv: string) {
  const report = await runImport({ db, format, input: Readable.from([csv]), ranBy: 'cache test', services: [pilot] });
  if (report.status !== 'SUCCEEDED') throw new Error(`import failed: ${report.message}`);
  return report;
}

/** Geography and periods (as the demo seed writes them), the people, and the first enrolments. */
export async function loadFixture(db: Database) {
  await db.prisma.$transaction((tx) => seedGeography(tx));
  const people = PEOPLE.map((p, i) => `${p},2010-0${(i % 9) + 1},${i % 2 ? 'M' : 'F'},WHITE,${i < 3 ? D1 : D2}`);
  await importCsv(db, peopleFormat, ['person_id,birth_month,sex,ethnicity_major,district_code', ...people].join('\n'));
  await importCsv(db, enrolmentsFormat, enrolmentsCsv(FIRST));
}

/** The figures the tests ask for: enrolments by district, and completion, for Kent in 2016/17. */
export const FIGURES = `query ($area: String!, $period: String!) {
  enrolments: indicator(code: "PILOT_ENROLMENTS") {
    value(area: $area, period: $period) {
      value { value symbol }
      breakdown(dimension: DISTRICT) { code value { value symbol } }
    }
  }
  completion: indicator(code: "PILOT_COMPLETION") {
    value(area: $area, period: $period) {
      value { value symbol } numerator { value symbol } denominator { value symbol }
    }
  }
}`;

type F = { value: number | null; symbol: string | null };
export interface Figures {
  enrolments: { value: { value: F; breakdown: { code: string; value: F }[] } };
  completion: { value: { value: F; numerator: F; denominator: F } };
}

/** Expected by hand: the current rows after applying `loads` in order (later rows replace earlier ones). */
export function expected(...loads: Enrolment[][]) {
  const rows = new Map<string, Enrolment>();
  for (const load of loads) for (const r of load) rows.set(r.person, r);
  const all = [...rows.values()];
  const inDistrict = (d: string) => all.filter((r) => r.district === d).length;
  const completed = all.filter((r) => r.completed).length;
  return {
    kent: all.length,
    byDistrict: { [D1]: inDistrict(D1), [D2]: inDistrict(D2), [D3]: inDistrict(D3) },
    completed,
    completion: (100 * completed) / all.length,
  };
}

export type AppOf = ReturnType<typeof createApp>;

/** An app over `db` with the pilot enabled, analyst by default, limits high enough for the tests. */
export function cacheApp(
  db: Database,
  opts: { cache?: ResultCacheOptions; redisUrl?: string | null; ratePerWindow?: number } = {},
) {
  const perRole = opts.ratePerWindow ?? 1e9;
  const app = createApp({
    db,
    services: [pilot],
    defaultViewer: ANALYST,
    cache: opts.cache,
    access: {
      jwt: false,
      redisUrl: opts.redisUrl ?? null,
      limits: {
        ratePerWindow: { DIRECTORATE_ANALYST: 1e9, SERVICE_ANALYST: 1e9, PARTNER: perRole, PUBLIC: perRole },
      },
    },
  });
  return {
    app,
    async post(query: string, variables: Record<string, unknown>, key?: string) {
      const res = await app.fetch(
        new Request('http://cype.test/graphql', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json',
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        }),
      );
      return { status: res.status, body: (await res.json()) as { data?: Figures; errors?: { message: string }[] } };
    },
    async figures(key?: string): Promise<Figures> {
      const r = await this.post(FIGURES, { area: 'E10000016', period: AY }, key);
      if (r.body.errors) throw new Error(JSON.stringify(r.body.errors));
      return r.body.data!;
    },
    /** Uploads a CSV through the importFile mutation, as a browser or curl would. */
    async upload(format: string, csv: string) {
      const form = new FormData();
      form.append(
        'operations',
        JSON.stringify({
          query:
            'mutation ($format: String!, $file: File!) { importFile(format: $format, file: $file) { status message } }',
          variables: { format, file: null },
        }),
      );
      form.append('map', JSON.stringify({ 0: ['variables.file'] }));
      form.append('0', new File([csv], 'upload.csv', { type: 'text/csv' }));
      const res = await app.fetch(
        new Request('http://cype.test/graphql', {
          method: 'POST',
          body: form,
          headers: { 'x-graphql-yoga-csrf': '1' },
        }),
      );
      const body = (await res.json()) as { data?: { importFile: { status: string; message: string } } };
      if (body.data?.importFile.status !== 'SUCCEEDED') throw new Error(`upload failed: ${JSON.stringify(body)}`);
    },
  };
}

/** Runs `fn` and returns the grouped facts statements (one per indicator x period computed) it issued. */
export async function factsStatements(db: Database, fn: () => Promise<unknown>): Promise<string[]> {
  const all = await recorded(db, fn);
  return all.filter((s) => s.includes('WITH facts AS'));
}

export { recorded };
