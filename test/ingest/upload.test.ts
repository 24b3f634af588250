// GraphQL side of ingestion, in-process: the importFile mutation through a real multipart request (the
// GraphQL multipart request spec, as a browser or curl sends it), who may call it, `imports` newest first,
// `importFormats`, and a description on every type, field and argument ingestion adds.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/core/access/viewer.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';
import { fixture, readCsv, snapshot } from './helpers.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const IMPORT = `mutation ($format: String!, $file: File!, $dryRun: Boolean, $options: [ImportOptionInput!]) {
  importFile(format: $format, file: $file, dryRun: $dryRun, options: $options) {
    status dryRun fileName rows inserted updated unchanged errorCount message
    errors { line column value message }
    created { table count }
    import { id status format fileName }
  }
}`;

interface Report {
  status: string;
  dryRun: boolean;
  fileName: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: { line: number; column: string; value: string; message: string }[];
  created: { table: string; count: number }[];
  import: { id: number; status: string; format: string; fileName: string } | null;
}

async function upload(
  format: string,
  file: string,
  opts: { dryRun?: boolean; viewer?: Viewer; options?: { name: string; value: string }[] } = {},
): Promise<{
  data?: { importFile: Report } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: IMPORT, variables: { format, file: null, dryRun: opts.dryRun, options: opts.options } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new File([fs.readFileSync(fixture(file))], file.split('/').pop()!, { type: 'text/csv' }));
  const res = await appFor(opts.viewer).fetch('/graphql', {
    method: 'POST',
    body: form,
    // A browser's form post carries no such header: CSRF prevention refuses multipart requests without one.
    headers: { 'x-graphql-yoga-csrf': '1' },
  });
  return res.json();
}

let runs = 0;
// One app per viewer: building the schema is the slow part of a request here.
const apps = new Map<string, TestApp>();
function appFor(viewer?: Viewer): TestApp {
  const key = viewer?.role ?? 'default';
  let app = apps.get(key);
  if (!app) {
    app = testApp(db, { viewer });
    apps.set(key, app);
  }
  return app;
}

describe('importFile', () => {
  it('imports an uploaded file with the same report as the CLI', async () => {
    const rows = readCsv(fixture('areas.csv'));
    const r = await upload('core/areas', 'areas.csv');
    runs++;
    expect(r.errors).toBeUndefined();
    expect(r.data?.importFile).toMatchObject({
      status: 'SUCCEEDED',
      fileName: 'areas.csv',
      rows: rows.length,
      inserted: rows.length,
      updated: 0,
      unchanged: 0,
      errorCount: 0,
      errors: [],
      import: { status: 'SUCCEEDED', format: 'core/areas', fileName: 'areas.csv' },
    });
    expect(await db.prisma.area.count()).toBe(rows.length);
    const again = await upload('core/areas', 'areas.csv');
    runs++;
    expect(again.data?.importFile).toMatchObject({ inserted: 0, updated: 0, unchanged: rows.length });
  });

  it('returns every error of a bad file and writes nothing', async () => {
    const before = await snapshot(db);
    const r = await upload('core/people', 'bad-values.csv');
    runs++;
    expect(r.data?.importFile.status).toBe('FAILED');
    expect(r.data?.importFile.errors.map((e) => [e.line, e.column, e.value])).toEqual([
      [3, 'birth_month', '2009-13'],
      [4, 'sex', 'X'],
      [5, 'ethnicity_major', 'PURPLE'],
      [7, 'person_id', ''],
    ]);
    expect(r.data?.importFile.import?.status).toBe('FAILED');
    expect(await snapshot(db)).toBe(before);
  });

  it('does a dry run', async () => {
    const before = await snapshot(db);
    const r = await upload('core/people', 'people.csv', { dryRun: true });
    runs++;
    expect(r.data?.importFile).toMatchObject({
      status: 'DRY_RUN',
      dryRun: true,
      inserted: readCsv(fixture('people.csv')).length,
      import: { status: 'DRY_RUN' },
    });
    expect(await snapshot(db)).toBe(before);
  });

  it('takes format options (the EES map)', async () => {
    const map = fs.readFileSync(fixture('ees/cin-map.json'), 'utf8');
    const r = await upload('core/ees', 'ees/small.csv', { options: [{ name: 'map', value: map }] });
    runs++;
    const rows = readCsv(fixture('ees/small.csv'));
    expect(r.data?.importFile.errors).toEqual([]);
    expect(r.data?.importFile.inserted).toBe(rows.length * JSON.parse(map).indicators.length);
    expect(r.data?.importFile.created).toContainEqual({ table: 'Indicator', count: JSON.parse(map).indicators.length });
  });

  it('names the argument when the format is unknown', async () => {
    const r = await upload('core/nope', 'areas.csv');
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'format' });
    expect(r.errors?.[0].message).toMatch(/core\/people/);
  });

  it('is refused to anyone but a directorate analyst', async () => {
    for (const role of ['SERVICE_ANALYST', 'PARTNER', 'PUBLIC'] as const) {
      const r = await upload('core/areas', 'areas.csv', { viewer: { role, services: [], name: 'someone' } });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('imports and importFormats', () => {
  it('lists every run newest first, with who ran it', async () => {
    const r = await appFor().gql<{ imports: { id: number; status: string; ranBy: string; startedAt: string }[] }>(
      '{ imports(limit: 100) { id status ranBy startedAt format errorCount } }',
    );
    expect(r.errors).toBeUndefined();
    const list = r.data!.imports;
    expect(list).toHaveLength(runs);
    expect(list.map((i) => i.id)).toEqual([...list.map((i) => i.id)].sort((a, b) => b - a));
    expect(list.map((i) => i.status).reverse()).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'DRY_RUN', 'SUCCEEDED']);
    expect(new Set(list.map((i) => i.ranBy))).toEqual(new Set(['graphql (demo)']));
    const one = await appFor().gql<{ imports: { format: string }[] }>('{ imports(format: "core/ees") { format } }');
    expect(one.data?.imports).toEqual([{ format: 'core/ees' }]);
  });

  it('lists the formats with their columns and an example', async () => {
    const r = await appFor().gql<{
      importFormats: { name: string; columns: { name: string }[]; exampleCsv: string; options: { name: string }[] }[];
    }>('{ importFormats { name columns { name type required } options { name } exampleCsv } }');
    const people = r.data?.importFormats.find((f) => f.name === 'core/people');
    expect(people?.columns.map((c) => c.name)).toEqual([
      'person_id',
      'birth_month',
      'sex',
      'ethnicity_major',
      'district_code',
    ]);
    expect(people?.exampleCsv.split('\n')[0]).toBe('person_id,birth_month,sex,ethnicity_major,district_code');
    expect(r.data?.importFormats.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'core/areas',
        'core/neighbours',
        'core/people',
        'core/characteristics',
        'core/targets',
        'core/ees',
      ]),
    );
    expect(r.data?.importFormats.find((f) => f.name === 'core/ees')?.options).toEqual([{ name: 'map' }]);
  });

  it('describes every type, field, argument and enum value it adds', async () => {
    const names = [
      'Import',
      'ImportReport',
      'ImportRowError',
      'ImportCreatedCount',
      'ImportFormat',
      'ImportColumn',
      'ImportOption',
      'ImportOptionInput',
      'ImportStatus',
      'File',
    ];
    const r = await appFor().gql<{
      __schema: {
        types: {
          name: string;
          description: string | null;
          fields:
            | { name: string; description: string | null; args: { name: string; description: string | null }[] }[]
            | null;
          inputFields: { name: string; description: string | null }[] | null;
          enumValues: { name: string; description: string | null }[] | null;
        }[];
      };
    }>(`{ __schema { types { name description
        fields { name description args { name description } }
        inputFields { name description }
        enumValues { name description } } } }`);
    const types = r.data!.__schema.types;
    const missing: string[] = [];
    for (const name of names) {
      const t = types.find((x) => x.name === name);
      if (!t) throw new Error(`type ${name} missing`);
      if (!t.description) missing.push(name);
      for (const f of [...(t.fields ?? []), ...(t.inputFields ?? []), ...(t.enumValues ?? [])]) {
        if (!f.description) missing.push(`${name}.${f.name}`);
      }
    }
    for (const root of ['Query', 'Mutation']) {
      for (const f of types.find((x) => x.name === root)!.fields!.filter((x) => /^import/.test(x.name))) {
        if (!f.description) missing.push(`${root}.${f.name}`);
        for (const a of f.args) if (!a.description) missing.push(`${root}.${f.name}(${a.name})`);
      }
    }
    expect(missing).toEqual([]);
    expect(types.find((x) => x.name === 'Mutation')?.description).toBeTruthy();
  });
});
