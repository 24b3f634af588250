// The grouped facts statement groups by what the request reads: a figure that needs totals only (value,
// target status, trend, benchmarks) costs a statement without breakdowns and without the Person and
// PersonCharacteristic joins; the fields of one request that read breakdowns are batched into ONE
// statement per indicator x period with the union of their dimensions; under disclosure control the whole
// table is computed, because suppression decisions cover it. The figures are checked against fixture rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT } from '../../src/core/demo-areas.js';
import { recorded, type TestApp } from '../harness.js';
import { AY2016, completion, createFixture, type Fixture, uncachedPilotApps } from './fixtures.js';

let fx: Fixture;
let app: TestApp;
let suppressed: TestApp;
beforeAll(async () => {
  fx = await createFixture();
  // The result cache is off: every request below shows the statements it needs.
  ({ app, suppressed } = uncachedPilotApps(fx.db));
});
afterAll(() => fx?.db.close());

async function factsOf(on: TestApp, query: string) {
  let data: Record<string, unknown> | undefined;
  const statements = await recorded(fx.db, async () => {
    const r = await on.gql<{ indicator: { value: Record<string, unknown> } }>(query);
    expect(r.errors).toBeUndefined();
    data = r.data!.indicator.value;
  });
  return { data: data!, statements: statements.filter((s) => s.includes('WITH facts AS')) };
}

const columns = (sql: string) => ['g_sex', 'g_fsm', 'g_sen', 'g_care', 'g_eal', 'g_eth'].filter((c) => sql.includes(c));
const joinsPerson = (sql: string) => sql.includes('"Person" p');
const joinsCharacteristics = (sql: string) => sql.includes('"PersonCharacteristic" pc');

const percent = (s: { numerator: number; denominator: number }) => (100 * s.numerator) / s.denominator;

describe('facts grouped by what the request reads', () => {
  it('computes totals alone for a value, its status and its trend', async () => {
    const { data, statements } = await factsOf(
      app,
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          value { value } status direction } } }`,
    );
    expect(statements).toHaveLength(2); // this year and last year, for the direction of travel
    for (const sql of statements) {
      expect(columns(sql)).toEqual([]);
      expect(joinsPerson(sql)).toBe(false);
      expect(joinsCharacteristics(sql)).toBe(false);
    }
    const e = completion(fx.rows.get(AY2016)!, KENT);
    expect((data.value as { value: number }).value).toBeCloseTo(percent(e), 10);
  });

  it('adds only the dimensions of the gaps and breakdowns asked for, in one statement per period', async () => {
    const { data, statements } = await factsOf(
      app,
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          value { value } direction
          gap(group: FSM) { value { value } }
          breakdown(dimension: SEX) { code value { value } } } } }`,
    );
    expect(statements).toHaveLength(2);
    const [current, previous] = [...statements].sort((a, b) => columns(b).length - columns(a).length);
    expect(columns(current)).toEqual(['g_sex', 'g_fsm']);
    expect(joinsPerson(current)).toBe(true); // sex is on Person
    expect(joinsCharacteristics(current)).toBe(true); // FSM is on the year's characteristics
    expect(columns(previous)).toEqual([]);
    const rows = fx.rows.get(AY2016)!;
    const fsm = completion(rows, KENT, 'FSM', 'FSM');
    const notFsm = completion(rows, KENT, 'FSM', 'NOT_FSM');
    expect((data.gap as { value: { value: number } }).value.value).toBeCloseTo(percent(notFsm) - percent(fsm), 8);
    const bySex = new Map(
      (data.breakdown as { code: string; value: { value: number } }[]).map((b) => [b.code, b.value.value]),
    );
    for (const sex of ['MALE', 'FEMALE']) {
      expect(bySex.get(sex)).toBeCloseTo(percent(completion(rows, KENT, 'SEX', sex)), 8);
    }
  });

  it('groups a statement by characteristics only, without Person, when no dimension reads Person', async () => {
    const { statements } = await factsOf(
      app,
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          gap(group: ANY_SEN) { value { value } } } } }`,
    );
    expect(statements).toHaveLength(1);
    expect(columns(statements[0])).toEqual(['g_sen']);
    expect(joinsPerson(statements[0])).toBe(false);
  });

  it('computes the whole table under disclosure control, whatever the request reads', async () => {
    const { statements } = await factsOf(
      suppressed,
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") { value { value } } } }`,
    );
    expect(statements).toHaveLength(1);
    expect(columns(statements[0])).toEqual(['g_sex', 'g_fsm', 'g_sen', 'g_care', 'g_eal', 'g_eth']);
  });
});
