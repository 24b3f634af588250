// The SEND demo seed at demo scale lands near the figures of the seed documents, read through the same
// GraphQL a dashboard uses: 86.2% of new EHC plans within 20 weeks in 2015 (England 59.2%) and about 74% in
// 2017; plans in force rising every January; 3,642 special school and 955 SRP places in 2017/18, scaled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { KENT } from '../../src/core/demo-areas.js';
import { DEMO_SCALE, seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { send } from './plugin.js';

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await seedDemo(db, [send], DEMO_SCALE);
  app = testApp(db, { services: [send], viewer: ANALYST });
}, 300_000);
afterAll(() => app.db.close());

describe('demo seed calibration', () => {
  it('EHC plans within 20 weeks: near 86.2% in 2015 against England’s 59.2%, near 74% in 2017', async () => {
    const r = await app.gql<{
      area: { send: Record<string, { value: { value: number }; national: { value: number } | null }> };
    }>(
      `{ area(code: "${KENT}") { send {
        y2015: ehcpIssuedWithin20Weeks(period: "2015|CY") { value { value } national { value } }
        y2017: ehcpIssuedWithin20Weeks(period: "2017|CY") { value { value } national { value } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const s = r.data!.area.send;
    expect(Math.abs(s.y2015.value.value - 86.2)).toBeLessThan(2);
    expect(s.y2015.national?.value).toBe(59.2);
    expect(Math.abs(s.y2017.value.value - 74)).toBeLessThan(2.5);
  });

  it('plans in force rise every January from 2013 to 2018', async () => {
    const years = [2013, 2014, 2015, 2016, 2017, 2018];
    const r = await app.gql<{ area: { send: Record<string, { value: { value: number }; change: number }> } }>(
      `{ area(code: "${KENT}") { send { ${years.map((y) => `y${y}: ehcpCount(period: "${y}|CY") { value { value } change }`).join(' ')} } } }`,
    );
    expect(r.errors).toBeUndefined();
    for (const y of years.slice(1)) expect(r.data!.area.send[`y${y}`].change).toBeGreaterThan(0);
  });

  it('commissions the documented 2017/18 places, scaled to the demo', async () => {
    const rows = await app.db.prisma.specialistProvision.groupBy({
      by: ['type'],
      where: { periodCode: '2017/2018|AY' },
      _sum: { places: true },
    });
    const sum = (types: string[]) =>
      rows.filter((r) => types.includes(r.type)).reduce((a, r) => a + (r._sum.places ?? 0), 0);
    expect(sum(['SPECIAL_SCHOOL'])).toBe(Math.round(3642 * DEMO_SCALE));
    expect(sum(['SRP', 'SATELLITE'])).toBe(Math.round(955 * DEMO_SCALE));
  });
});
