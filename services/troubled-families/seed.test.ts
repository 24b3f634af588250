// The demo seed against the published figures: the transcribed district table reproduces every published
// percentage (so the fractional minimum targets are right), scaling keeps window totals, and the seeded
// demo lands near the published claims table and early help rates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT } from '../../src/core/demo-areas.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import {
  CLAIM_WINDOWS,
  DISTRICT_CLAIMS,
  districtMinimumTarget,
  LA_MINIMUM_TARGET,
  LA_STRETCH_TARGET,
} from './calibration.js';
import { troubledFamilies } from './plugin.js';
import { scaleCounts } from './seed.js';

// The published table (seeds/000 "Key Equalities Issues for Troubled Families"), as printed:
// 2015/16, MAR 17, JAN 17, SUMMER 16, total, % of stretch, stretch, % of minimum, minimum (rounded).
const PUBLISHED = `
ASHFORD 0 73 90 58 221 144.4 153 184.9 120
CANTERBURY 1 51 74 63 188 83.2 226 106.5 177
DARTFORD 2 33 49 34 116 154.7 75 197.9 59
DOVER 0 83 87 63 233 110.4 211 141.3 165
GRAVESHAM 2 52 79 64 195 137.3 142 175.7 111
MAIDSTONE 1 62 91 40 193 129.5 149 165.8 116
SEVENOAKS 0 27 35 36 98 122.5 80 156.8 63
SHEPWAY 0 72 85 57 214 120.2 178 153.9 139
SWALE 7 60 128 78 266 91.1 292 116.6 228
THANET 1 106 102 59 267 92.7 288 118.6 225
TONBRIDGE_AND_MALLING 3 48 92 40 180 130.4 138 166.9 108
TUNBRIDGE_WELLS 3 36 34 28 98 108.9 90 139.4 70`
  .trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/).slice(1).map(Number));

describe('calibration', () => {
  it('transcribes the district table and reproduces every published percentage', () => {
    expect(DISTRICT_CLAIMS).toHaveLength(PUBLISHED.length);
    DISTRICT_CLAIMS.forEach((d, i) => {
      const [y1516, mar17, jan17, summer16, total, pctStretch, stretch, pctMinimum, minimumRounded] = PUBLISHED[i];
      expect(d.claims).toEqual({ 'MAR 16': y1516, 'SUMMER 16': summer16, 'JAN 17': jan17, 'MAR 17': mar17 });
      expect(summer16 + jan17 + mar17).toBe(total);
      expect(d.stretch).toBe(stretch);
      expect(((100 * total) / stretch).toFixed(1)).toBe(pctStretch.toFixed(1));
      // The fractional minimum gives the published percentage; the printed (rounded) one would not always.
      expect(((100 * total) / districtMinimumTarget(d.stretch)).toFixed(1)).toBe(pctMinimum.toFixed(1));
      expect(Math.round(districtMinimumTarget(d.stretch))).toBe(minimumRounded);
    });
    const sum = (f: (d: (typeof DISTRICT_CLAIMS)[number]) => number) => DISTRICT_CLAIMS.reduce((s, d) => s + f(d), 0);
    expect(sum((d) => d.stretch)).toBe(LA_STRETCH_TARGET);
    expect(sum((d) => districtMinimumTarget(d.stretch))).toBeCloseTo(LA_MINIMUM_TARGET, 9);
    // The grand total line: 20 703 946 620 2269 112.2% 2022 143.6% 1580
    expect(CLAIM_WINDOWS.map((w) => sum((d) => d.claims[w.window]))).toEqual([20, 620, 946, 703]);
  });

  it('scales counts keeping the rounded total, and exactly at scale 1', () => {
    const values = DISTRICT_CLAIMS.map((d) => d.claims['JAN 17']);
    expect(scaleCounts(values, 1)).toEqual(values);
    const scaled = scaleCounts(values, 0.06);
    expect(scaled.reduce((s, v) => s + v, 0)).toBe(Math.round(946 * 0.06));
    for (const [i, v] of scaled.entries()) expect(Math.abs(v - values[i] * 0.06)).toBeLessThan(1);
  });
});

describe('the demo', () => {
  let app: TestApp;
  const scale = 0.06;
  beforeAll(async () => {
    const db = await createTestDatabase();
    await seedDemo(db, [troubledFamilies], scale);
    app = testApp(db, { services: [troubledFamilies] });
  });
  afterAll(() => app.db.close());

  it('lands the 2016/17 claims table near the published one, scaled', async () => {
    const r = await app.gql<{
      troubledFamilies: {
        claimsProgress: {
          windows: string[];
          total: {
            claims: number;
            previousYearClaims: number;
            minimumTarget: number;
            percentOfMinimum: number;
            percentOfStretch: number;
          };
        };
      };
    }>(
      `{ troubledFamilies { claimsProgress(period: "2016/2017|FY", area: "${KENT}") { windows total { claims previousYearClaims minimumTarget percentOfMinimum percentOfStretch } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const { windows, total } = r.data!.troubledFamilies.claimsProgress;
    expect(windows).toEqual(['SUMMER 16', 'JAN 17', 'MAR 17']);
    expect(total.minimumTarget).toBeCloseTo(LA_MINIMUM_TARGET * scale, 9);
    // Each window rounds on its own: within a claim or two of 6% of 2269.
    expect(Math.abs(total.claims - 2269 * scale)).toBeLessThanOrEqual(2);
    expect(Math.abs(total.percentOfMinimum - 143.6)).toBeLessThan(2);
    expect(Math.abs(total.percentOfStretch - 112.2)).toBeLessThan(2);
    expect(total.previousYearClaims).toBe(Math.round(20 * scale));
  });

  it('lands early help outcomes near the published rates', async () => {
    const r = await app.gql<{ area: { troubledFamilies: Record<string, { value: { value: number } }> } }>(
      `{ area(code: "${KENT}") { troubledFamilies {
          y15: outcomesAchieved(period: "2015/2016|FY") { value { value } }
          y16: outcomesAchieved(period: "2016/2017|FY") { value { value } }
          stepDown: stepDownShare(period: "2016/2017|FY") { value { value } }
          reReferrals: reReferralsWithin12Months(period: "2016/2017|FY") { value { value } }
          attached: familiesAttached(period: "2016/2017|FY") { value { value } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const tf = r.data!.area.troubledFamilies;
    // Published: 83.4% (2015/16), 80% (2016/17); a few hundred closures a year at this scale.
    expect(Math.abs(tf.y15.value.value - 83.4)).toBeLessThan(6);
    expect(Math.abs(tf.y16.value.value - 80)).toBeLessThan(6);
    expect(Math.abs(tf.stepDown.value.value - 20)).toBeLessThan(6);
    expect(tf.reReferrals.value.value).toBeGreaterThan(5);
    expect(tf.reReferrals.value.value).toBeLessThan(15);
    // 284 families a month at scale 1; each of the 12 districts rounds its own running total.
    expect(Math.abs(tf.attached.value.value - 284 * 12 * scale)).toBeLessThanOrEqual(6);
  });
});
