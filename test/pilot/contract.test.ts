// The service plugin contract, proved with the reading pilot: its table SQL is what the migration diff
// produces for pilot.prisma; the schema is valid with and without it; Area gains `readingPilot` only with
// it; its Area field, indicators (through the engine), record-level resolver (raw SQL), cohort and seed work.
import { PGlite } from '@electric-sql/pglite';
import { type GraphQLObjectType, validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import { createRng } from '../../src/core/rng.js';
import type { Database } from '../../src/db.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { diffMigrations } from '../../src/migrate.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';
import { PILOT_SCHEMA_FILE, pilotSql, readingPilot } from './plugin.js';

let db: Database;
let app: TestApp;
beforeAll(async () => {
  db = await createTestDatabase([pilotSql()]);
  await seedDemo(db, [], 0.002);
  await readingPilot.seed?.(db.prisma as unknown as Prisma.TransactionClient, createRng(7), 0.002);
  app = testApp(db, { services: [readingPilot] });
});
afterAll(() => db?.close());

/** Statements of a migration script, one per `-- Comment` block, whitespace-normalised. */
const blocks = (sql: string) =>
  sql
    .split(/\n(?=-- )/)
    .map((b) => b.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

describe('the pilot’s table', () => {
  it('is exactly what the migration diff makes of pilot.prisma', async () => {
    const pglite = new PGlite('memory://');
    try {
      const diff = await diffMigrations({ target: { pglite }, extraSchemaFiles: [PILOT_SCHEMA_FILE] });
      // Other services' pending schema changes may show up in the diff too: compare the pilot's statements.
      const pilot = blocks(diff).filter((b) => b.includes('"ReadingPilotEnrolment"'));
      expect(pilot).toEqual(blocks(pilotSql()));
    } finally {
      await pglite.close();
    }
  }, 180_000); // the WASM schema engine replays the migration history: slow on a busy machine
});

describe('the schema', () => {
  it('is valid without the plugin and has no readingPilot on Area', () => {
    const schema = buildSchema([]);
    expect(validateSchema(schema)).toEqual([]);
    const area = schema.getType('Area') as GraphQLObjectType;
    expect(Object.keys(area.getFields())).not.toContain('readingPilot');
    expect(schema.getType('ReadingPilot')).toBeUndefined();
  });

  it('is valid with the plugin, and Area gains readingPilot', () => {
    const schema = buildSchema([readingPilot]);
    expect(validateSchema(schema)).toEqual([]);
    const area = schema.getType('Area') as GraphQLObjectType;
    expect(area.getFields().readingPilot.type.toString()).toBe('ReadingPilot!');
    expect(schema.getType('ReadingPilotEnrolment')).toBeDefined();
  });

  it('is enabled by slug or key through CYPE_SERVICES', () => {
    expect(enabledServices('reading-pilot', [readingPilot])).toEqual([readingPilot]);
    expect(enabledServices('readingPilot', [readingPilot])).toEqual([readingPilot]);
    expect(() => enabledServices('reading', [readingPilot])).toThrow(/unknown services: reading/);
  });
});

describe('the plugin at work', () => {
  const period = '2016/2017|AY';

  it('seeds deterministic enrolments and lists its indicators', async () => {
    const [{ n }] = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "ReadingPilotEnrolment"`;
    expect(n).toBeGreaterThan(10);
    const r = await app.gql<{ indicators: { code: string; service: string }[] }>(
      '{ indicators(service: "reading-pilot") { code service } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.indicators.map((i) => i.code)).toEqual([
      'PILOT_COMPLETION',
      'PILOT_BOOKS',
      'PILOT_ENROLMENTS',
      'PILOT_SATISFACTION',
    ]);
    expect(new Set(r.data?.indicators.map((i) => i.service))).toEqual(new Set(['readingPilot']));
  });

  it('serves Area.readingPilot for the LA and each district, from the engine and from raw SQL', async () => {
    const rows = await db.prisma.$queryRaw<{ districtCode: string; completed: boolean }[]>`
      SELECT "districtCode", completed FROM "ReadingPilotEnrolment" WHERE "periodCode" = ${period}`;
    const r = await app.gql<{
      areas: {
        code: string;
        readingPilot: {
          completion: { numerator: { value: number }; denominator: { value: number } };
          enrolments: { value: { value: number } };
          records: { personId: string; completed: boolean }[];
        };
      }[];
    }>(
      `query($p: String!) { areas { code readingPilot {
         completion(period: $p) { numerator { value } denominator { value } }
         enrolments(period: $p) { value { value } }
         records(period: $p) { personId completed } } } }`,
      { p: period },
    );
    expect(r.errors).toBeUndefined();
    const byCode = new Map(r.data?.areas.map((a) => [a.code, a.readingPilot]));
    for (const code of [KENT, ...KENT_DISTRICTS.map((d) => d.code)]) {
      const mine = rows.filter((x) => code === KENT || x.districtCode === code);
      const pilot = byCode.get(code)!;
      expect(pilot.records).toHaveLength(mine.length);
      expect(pilot.enrolments.value.value).toBe(mine.length);
      expect(pilot.completion.denominator.value).toBe(mine.length);
      expect(pilot.completion.numerator.value).toBe(mine.filter((x) => x.completed).length);
    }
  });

  it('keeps records from partners', async () => {
    const partner = testApp(db, { services: [readingPilot], disclosureControl: true });
    const r = await partner.gql(
      `{ area(code: "${KENT}") { readingPilot { records(period: "${period}") { personId } } } }`,
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects a period of the wrong type naming the argument', async () => {
    const r = await app.gql(
      `{ area(code: "${KENT}") { readingPilot { completion(period: "2016|CY") { value { value } } } } }`,
    );
    expect(r.errors?.[0].message).toMatch(/PILOT_COMPLETION is reported by ACADEMIC_YEAR/);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
  });

  it('declares a cohort whose members SQL returns the completers', async () => {
    const cohort = readingPilot.cohorts[0];
    expect(cohort.key).toBe('readingPilot.completers');
    const members = await db.prisma.$queryRaw<{ person_id: string }[]>(cohort.members(parsePeriod(period)));
    const [{ n }] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "ReadingPilotEnrolment" WHERE "periodCode" = ${period} AND completed`;
    expect(members.length).toBe(n);
    expect(n).toBeGreaterThan(0);
  });
});
