// One query across every service: `areas(level: DISTRICT) { code name earlyYears { … } send { … } skills
// { … } youthJustice { … } troubledFamilies { … } }` on the demo data, built from the schema itself (every
// headline figure of every enabled service, each with the example period its argument documents), answers
// all 12 districts with the same number of SQL statements as one district. And the analysts' question
// across services: of the young people in custody in 2016/17, how many had an EHCP, and how many were in a
// family on the Troubled Families programme.
import { type GraphQLObjectType, getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../services/index.js';
import { KENT_DISTRICTS } from '../src/core/demo-areas.js';
import { buildSchema } from '../src/schema.js';
import { seedDemo } from '../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from './harness.js';

/** The five services of the directorate, in services/index.ts order. */
const EXPECTED = ['earlyYears', 'send', 'skills', 'youthJustice', 'troubledFamilies'];
const enabled = allServices.map((s) => s.key);
const missing = EXPECTED.filter((k) => !enabled.includes(k));

const schema = buildSchema(allServices);
const area = schema.getType('Area') as GraphQLObjectType;

/**
 * The selection for one service's Area field: every IndicatorValue figure, with the example period its
 * `period` argument documents (`e.g. \`2016/2017|FY\``), asking for value, target status and direction.
 */
function serviceSelection(key: string): string {
  const type = getNamedType(area.getFields()[key].type);
  if (!isObjectType(type)) throw new Error(`Area.${key} is not an object type`);
  const figures = Object.values(type.getFields()).filter((f) => getNamedType(f.type).name === 'IndicatorValue');
  expect(figures.length, `Area.${key} has headline figures`).toBeGreaterThan(0);
  return figures
    .map((f) => {
      const period = f.args.find((a) => a.name === 'period');
      const example = /`(\d{4}(?:\/\d{4})?\|[A-Z0-9]+)`/.exec(period?.description ?? '')?.[1];
      if (!example) throw new Error(`${type.name}.${f.name}: its period argument documents no example period`);
      return `${f.name}(period: "${example}") { value { value symbol } status direction }`;
    })
    .join(' ');
}

const everyService = (selection: string) =>
  `{ ${selection} { code name ${enabled.map((k) => `${k} { ${serviceSelection(k)} }`).join(' ')} } }`;

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await seedDemo(db, allServices, 0.01);
  // Statements are counted per request: the cross-request cache (tested in test/cache) is off.
  app = testApp(db, { services: allServices, cache: { enabled: false } });
});
afterAll(() => app.db.close());

describe('one query across every service', () => {
  it('has an Area field for every enabled service', () => {
    for (const key of enabled) expect(area.getFields()[key], `Area.${key}`).toBeDefined();
  });

  it('answers every district with as many SQL statements as one district', async () => {
    await app.gql(everyService(`areas: area(code: "${KENT_DISTRICTS[0].code}")`)); // warm-up: catalogue sync
    const run = async (selection: string) => {
      const before = app.db.sqlCount;
      const r = await app.gql<{ areas: Record<string, unknown>[] | Record<string, unknown> }>(everyService(selection));
      expect(r.errors).toBeUndefined();
      return { statements: app.db.sqlCount - before, data: r.data! };
    };
    const one = await run(`areas: area(code: "${KENT_DISTRICTS[0].code}")`);
    const all = await run('areas(level: DISTRICT)');
    const districts = all.data.areas as Record<string, unknown>[];
    expect(districts.map((d) => d.code).sort()).toEqual(KENT_DISTRICTS.map((d) => d.code).sort());
    for (const d of districts) for (const key of enabled) expect(d[key], `${d.code} ${key}`).toBeTruthy();
    expect(all.statements).toBe(one.statements);
  });

  it('answers the analysts’ question: of the young people in custody in 2016/17, how many had an EHCP, how many were in a family on the programme', async () => {
    const prisma = app.db.prisma;
    // Fixture rows on top of the demo, so that the answer cannot be vacuous: a custody sentence in
    // November 2016 for three people with an EHC plan in force in the academic year 2016/17 and for two
    // members of families on the programme (attached by March 2017, no valid claim before April 2016).
    const withPlan = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT "personId" AS id FROM "EhcPlan"
      WHERE "startedOn" <= '2017-08-31' AND ("endedOn" IS NULL OR "endedOn" > '2016-09-01') ORDER BY 1 LIMIT 3`;
    const inFamily = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT m."personId" AS id FROM "TroubledFamilyMember" m JOIN "TroubledFamily" f ON f.id = m."familyId"
      WHERE f."attachedOn" <= '2017-03-31' AND NOT EXISTS (
        SELECT 1 FROM "PbrClaim" c WHERE c."familyId" = f.id AND c.status <> 'REJECTED' AND c."submittedOn" < '2016-04-01')
      ORDER BY 1 LIMIT 2`;
    expect(withPlan.length).toBe(3);
    expect(inFamily.length).toBe(2);
    for (const [i, { id }] of [...withPlan, ...inFamily].entries()) {
      await prisma.youthJusticeDisposal.create({
        data: {
          id: `XS-FIXTURE-${i}`,
          personId: id,
          offenceOn: new Date('2016-10-01'),
          disposedOn: new Date('2016-11-15'),
          tier: 'CUSTODY',
          disposalType: 'DETENTION_AND_TRAINING_ORDER',
        },
      });
    }
    // The hand count, straight from the tables.
    const custody = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT "personId" AS id FROM "YouthJusticeDisposal"
      WHERE tier = 'CUSTODY' AND "disposedOn" BETWEEN '2016-04-01' AND '2017-03-31'`;
    const ids = new Set(custody.map((r) => r.id));
    const plans = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT "personId" AS id FROM "EhcPlan"
      WHERE "startedOn" <= '2017-08-31' AND ("endedOn" IS NULL OR "endedOn" > '2016-09-01')`;
    const families = await prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT m."personId" AS id FROM "TroubledFamilyMember" m JOIN "TroubledFamily" f ON f.id = m."familyId"
      WHERE f."attachedOn" <= '2017-03-31' AND NOT EXISTS (
        SELECT 1 FROM "PbrClaim" c WHERE c."familyId" = f.id AND c.status <> 'REJECTED' AND c."submittedOn" < '2016-04-01')`;
    const both = (rows: { id: string }[]) => rows.filter((r) => ids.has(r.id)).length;

    const r = await app.gql<{
      cohort: {
        size: { value: number };
        ehcp: { period: string; count: { value: number }; shareOfThis: { value: number } };
        family: { period: string; count: { value: number } };
      };
    }>(`{ cohort(key: "youthJustice.custody", period: "2016/2017|FY") {
      size { value }
      ehcp: overlap(with: "send.withEhcp") { period count { value } shareOfThis { value } }
      family: overlap(with: "troubledFamilies.onProgramme") { period count { value } } } }`);
    expect(r.errors).toBeUndefined();
    const c = r.data!.cohort;
    expect(c.size.value).toBe(ids.size);
    expect(c.ehcp.period).toBe('2016/2017|AY'); // the academic year sharing the most days with 2016/17 FY
    expect(c.ehcp.count.value).toBe(both(plans));
    expect(c.ehcp.count.value).toBeGreaterThanOrEqual(3);
    expect(c.ehcp.shareOfThis.value).toBeCloseTo((100 * both(plans)) / ids.size, 10);
    expect(c.family.period).toBe('2016/2017|FY');
    expect(c.family.count.value).toBe(both(families));
    expect(c.family.count.value).toBeGreaterThanOrEqual(2);
  });

  // Services not in services/index.ts yet: the query covers them as soon as they are.
  for (const key of missing) it.todo(`covers Area.${key} (its plugin is not enabled yet)`);
});
