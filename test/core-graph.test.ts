// Core graph on the demo data: areas with parents, children and ordered neighbours; periods with previous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT, KENT_DISTRICTS, NEIGHBOURS } from '../src/core/demo-areas.js';
import { seedDemo } from '../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from './harness.js';

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await seedDemo(db, [], 0.002);
  app = testApp(db);
});
afterAll(() => app.db.close());

describe('areas', () => {
  it('lists the 12 Kent districts with their ONS codes, each under Kent', async () => {
    const r = await app.gql<{ areas: { code: string; name: string; parent: { code: string } }[] }>(
      '{ areas(level: DISTRICT) { code name parent { code } } }',
    );
    expect(r.errors).toBeUndefined();
    const codes = r.data?.areas.map((a) => a.code).sort();
    expect(codes).toEqual(KENT_DISTRICTS.map((d) => d.code).sort());
    expect(codes).toEqual(Array.from({ length: 12 }, (_, i) => `E07000${105 + i}`));
    expect(new Set(r.data?.areas.map((a) => a.parent.code))).toEqual(new Set([KENT]));
  });

  it('gives Kent its region, its children and ten statistical neighbours in rank order', async () => {
    const r = await app.gql<{
      area: {
        name: string;
        level: string;
        parent: { code: string; parent: { code: string } };
        children: { code: string }[];
        statisticalNeighbours: { code: string }[];
      };
    }>(
      `{ area(code: "${KENT}") { name level parent { code parent { code } } children { code } statisticalNeighbours { code } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.area.name).toBe('Kent');
    expect(r.data?.area.level).toBe('LOCAL_AUTHORITY');
    expect(r.data?.area.parent).toEqual({ code: 'E12000008', parent: { code: 'E92000001' } });
    expect(r.data?.area.children).toHaveLength(12);
    expect(r.data?.area.statisticalNeighbours.map((a) => a.code)).toEqual(NEIGHBOURS.map((n) => n.code));
  });

  it('answers null for an unknown code', async () => {
    const r = await app.gql('{ area(code: "E99999999") { code } }');
    expect(r).toEqual({ data: { area: null } });
  });
});

describe('periods', () => {
  it('has academic years 2012/13 to 2018/19 in order', async () => {
    const r = await app.gql<{ periods: { code: string; start: string; end: string }[] }>(
      '{ periods(type: ACADEMIC_YEAR) { code start end } }',
    );
    expect(r.data?.periods.map((p) => p.code)).toEqual(
      [2012, 2013, 2014, 2015, 2016, 2017, 2018].map((y) => `${y}/${y + 1}|AY`),
    );
    expect(r.data?.periods[4]).toEqual({ code: '2016/2017|AY', start: '2016-09-01', end: '2017-08-31' });
  });

  it('links a period to the previous one of the same type', async () => {
    const r = await app.gql<{
      a: { previous: { code: string } };
      m: { label: string; previous: { code: string } };
      q: { previous: { code: string } };
      first: { previous: null };
    }>(
      `{ a: period(code: "2016/2017|AY") { previous { code } }
         m: period(code: "2017|M1") { label previous { code } }
         q: period(code: "2016/2017|FYQ1") { previous { code } }
         first: period(code: "2012|CY") { previous { code } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.a.previous.code).toBe('2015/2016|AY');
    expect(r.data?.m).toEqual({ label: 'January 2017', previous: { code: '2016|M12' } });
    expect(r.data?.q.previous.code).toBe('2015/2016|FYQ4');
    expect(r.data?.first.previous).toBeNull();
  });

  it('rejects a malformed period code with a typed error naming the argument', async () => {
    const r = await app.gql('{ period(code: "2016-17") { code } }');
    expect(r.errors?.[0].message).toMatch(/not a period code/);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
  });
});
