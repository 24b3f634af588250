// The engine's arithmetic as pure functions, against expectations worked out by hand (shown in comments).
import { describe, expect, it } from 'vitest';
import {
  COMPARATOR,
  directionOfTravel,
  formatGap,
  formatValue,
  mean,
  normaliseSymbol,
  quartileOf,
  rankOf,
  roundTo,
  significant,
  smallCohort,
  targetStatus,
  unitValue,
  wilson,
  wilsonInUnit,
} from '../../src/core/reporting/engine.js';

describe('value per unit', () => {
  it('computes percentages, rates, counts and averages', () => {
    expect(unitValue('PERCENT', 3, 8)).toBe(37.5);
    expect(unitValue('RATE_PER_10K', 3, 2000)).toBe(15); // 10,000 × 3 / 2,000
    expect(unitValue('RATE_PER_100K', 3, 2000)).toBe(150);
    expect(unitValue('COUNT', 304, 1)).toBe(304);
    expect(unitValue('COUNT', 304, 0)).toBe(304); // a count needs no denominator
    expect(unitValue('AVERAGE_POINTS', 93, 20)).toBe(4.65);
    expect(unitValue('SCORE', 31.5, 1)).toBe(31.5);
  });

  it('has no value when there is nothing to divide by', () => {
    expect(unitValue('PERCENT', 0, 0)).toBeNull();
    expect(unitValue('AVERAGE_POINTS', 5, 0)).toBeNull();
  });
});

describe('Wilson 95% interval', () => {
  it('matches the hand computation for 30/40', () => {
    // p = .75, z² = 3.841459, z²/n = .0960365; centre = (.75 + .0480182) / 1.0960365 = .728095;
    // half = 1.959964 / 1.0960365 × √(.0046875 + .00060023) = .130034 → [.598061, .858129]
    const w = wilson(30, 40)!;
    expect(w.lower).toBeCloseTo(0.598061, 5);
    expect(w.upper).toBeCloseTo(0.858129, 5);
  });

  it('matches the hand computation for 5/7, in percentage points for PERCENT', () => {
    // p = 5/7; z²/n = .548780; centre = .638355; half = 1.265488 × √.0487538 = .279424
    const w = wilsonInUnit('PERCENT', 5, 7)!;
    expect(w.lower).toBeCloseTo(35.893, 2);
    expect(w.upper).toBeCloseTo(91.778, 2);
  });

  it('starts at 0 for 0/n and ends at 1 for n/n', () => {
    // 0/10: upper = (z²/n) / (1 + z²/n) = .3841459 / 1.3841459 = .277533
    expect(wilson(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(0.277533, 5) });
    expect(wilson(10, 10)?.upper).toBe(1);
    expect(wilson(10, 10)?.lower).toBeCloseTo(1 - 0.277533, 5);
  });

  it('is scaled to the unit, and absent for counts and scores', () => {
    const w = wilson(30, 40)!;
    expect(wilsonInUnit('RATE_PER_10K', 30, 40)?.lower).toBeCloseTo(w.lower * 10_000, 6);
    expect(wilsonInUnit('RATE_PER_100K', 30, 40)?.upper).toBeCloseTo(w.upper * 100_000, 4);
    expect(wilsonInUnit('COUNT', 30, 40)).toBeNull();
    expect(wilsonInUnit('AVERAGE_POINTS', 30, 40)).toBeNull();
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('gaps', () => {
  it('maps each group to its complement exactly as the contract lists', () => {
    expect(COMPARATOR.FSM).toBe('NOT_FSM');
    expect(COMPARATOR.ANY_SEN).toBe('NO_SEN');
    expect(COMPARATOR.IN_CARE).toBe('NOT_IN_CARE');
    expect(COMPARATOR.MALE).toBe('FEMALE');
    expect(COMPARATOR.EAL).toBe('NOT_EAL');
    expect(COMPARATOR.SEN_SUPPORT).toBe('NO_SEN');
    expect(COMPARATOR.EHCP).toBe('NO_SEN');
  });

  it('is significant only when the intervals do not overlap (touching counts as overlapping)', () => {
    expect(significant({ lower: 10, upper: 20 }, { lower: 20.01, upper: 30 })).toBe(true);
    expect(significant({ lower: 25, upper: 35 }, { lower: 10, upper: 24.9 })).toBe(true);
    expect(significant({ lower: 10, upper: 20 }, { lower: 20, upper: 30 })).toBe(false);
    expect(significant({ lower: 10, upper: 20 }, { lower: 15, upper: 30 })).toBe(false);
    expect(significant(null, { lower: 1, upper: 2 })).toBeNull();
    // 30/40 = [59.8, 85.8] vs 10/40 = [14.2, 40.2]: apart
    expect(significant(wilsonInUnit('PERCENT', 30, 40), wilsonInUnit('PERCENT', 10, 40))).toBe(true);
    // 30/40 vs 25/40 = [47.1, 76.0]: overlapping
    expect(significant(wilsonInUnit('PERCENT', 30, 40), wilsonInUnit('PERCENT', 25, 40))).toBe(false);
  });

  it('flags a small cohort when either group has fewer than 30 people', () => {
    expect(smallCohort(30, 30)).toBe(false);
    expect(smallCohort(29, 400)).toBe(true);
    expect(smallCohort(400, 29)).toBe(true);
    expect(smallCohort(null, 400)).toBe(true);
  });
});

describe('RAG', () => {
  const rag = (
    value: number | null,
    target: number | null,
    polarity: 'HIGH_IS_GOOD' | 'LOW_IS_GOOD' | 'NO_JUDGEMENT',
    amberTolerance?: number,
  ) => targetStatus({ value, target, polarity, decimalPlaces: 1, amberTolerance });

  it('judges HIGH_IS_GOOD with the default 5% tolerance (target 80: amber down to 76)', () => {
    expect(rag(80, 80, 'HIGH_IS_GOOD')).toBe('GREEN');
    expect(rag(79.96, 80, 'HIGH_IS_GOOD')).toBe('GREEN'); // displayed as 80.0
    expect(rag(79.94, 80, 'HIGH_IS_GOOD')).toBe('AMBER');
    expect(rag(76, 80, 'HIGH_IS_GOOD')).toBe('AMBER');
    expect(rag(75.9, 80, 'HIGH_IS_GOOD')).toBe('RED');
  });

  it('judges LOW_IS_GOOD the other way (target 10: amber up to 10.5)', () => {
    expect(rag(9, 10, 'LOW_IS_GOOD')).toBe('GREEN');
    expect(rag(10.5, 10, 'LOW_IS_GOOD')).toBe('AMBER');
    expect(rag(10.6, 10, 'LOW_IS_GOOD')).toBe('RED');
  });

  it('uses the indicator’s tolerance when it has one (10% of 70 = 7: amber down to 63)', () => {
    expect(rag(63, 70, 'HIGH_IS_GOOD', 0.1)).toBe('AMBER');
    expect(rag(62.9, 70, 'HIGH_IS_GOOD', 0.1)).toBe('RED');
    expect(rag(66.4, 70, 'HIGH_IS_GOOD', 0.05)).toBe('RED'); // 5% of 70 = 3.5: amber down to 66.5
    expect(rag(66.5, 70, 'HIGH_IS_GOOD', 0.05)).toBe('AMBER');
  });

  it('has NO_TARGET without a target, a value or a polarity', () => {
    expect(rag(80, null, 'HIGH_IS_GOOD')).toBe('NO_TARGET');
    expect(rag(null, 80, 'HIGH_IS_GOOD')).toBe('NO_TARGET');
    expect(rag(80, 80, 'NO_JUDGEMENT')).toBe('NO_TARGET');
  });
});

describe('direction of travel', () => {
  const dir = (
    current: number | null,
    previous: number | null,
    polarity: 'HIGH_IS_GOOD' | 'LOW_IS_GOOD' | 'NO_JUDGEMENT',
  ) => directionOfTravel({ current, previous, polarity, decimalPlaces: 1 });

  it('judges by polarity, with the unrounded change', () => {
    expect(dir(75, 74, 'HIGH_IS_GOOD')).toEqual({ change: 1, direction: 'IMPROVING' });
    expect(dir(75, 74, 'LOW_IS_GOOD')).toEqual({ change: 1, direction: 'WORSENING' });
    expect(dir(73, 74, 'LOW_IS_GOOD')).toEqual({ change: -1, direction: 'IMPROVING' });
  });

  it('is NO_CHANGE when equal at the displayed precision (74.84 and 74.76 both show 74.8)', () => {
    const d = dir(74.84, 74.76, 'HIGH_IS_GOOD');
    expect(d.direction).toBe('NO_CHANGE');
    expect(d.change).toBeCloseTo(0.08, 10);
    expect(dir(74.86, 74.84, 'HIGH_IS_GOOD').direction).toBe('IMPROVING'); // 74.9 vs 74.8
  });

  it('is NOT_COMPARABLE when the previous figure is missing, or there is no polarity', () => {
    expect(dir(75, null, 'HIGH_IS_GOOD')).toEqual({ change: null, direction: 'NOT_COMPARABLE' });
    expect(dir(null, 75, 'HIGH_IS_GOOD')).toEqual({ change: null, direction: 'NOT_COMPARABLE' });
    expect(dir(75, 74, 'NO_JUDGEMENT')).toEqual({ change: 1, direction: 'NOT_COMPARABLE' });
  });
});

describe('rank and quartile', () => {
  it('ranks 1 = best by polarity, ties sharing the better rank', () => {
    const all = [70, 80, 80, 60];
    expect(rankOf(80, all, 'HIGH_IS_GOOD', 1)).toEqual({ position: 1, of: 4 });
    expect(rankOf(70, all, 'HIGH_IS_GOOD', 1)).toEqual({ position: 3, of: 4 });
    expect(rankOf(60, all, 'LOW_IS_GOOD', 1)).toEqual({ position: 1, of: 4 });
    expect(rankOf(80, all, 'LOW_IS_GOOD', 1)).toEqual({ position: 3, of: 4 });
    expect(rankOf(80.04, [80.04, 79.96, 70], 'HIGH_IS_GOOD', 1)).toEqual({ position: 1, of: 3 }); // both show 80.0
    expect(rankOf(80, all, 'NO_JUDGEMENT', 1)).toBeNull();
  });

  it('bands rank r of n into floor((r − 1)·4/n): 11 authorities give A A A B B B C C C D D', () => {
    const all = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(all.map((v) => quartileOf(v, all, 'HIGH_IS_GOOD', 0)).join('')).toBe('AAABBBCCCDD');
    expect(all.map((v) => quartileOf(v, all, 'LOW_IS_GOOD', 0)).join('')).toBe('DDCCCBBBAAA');
    const eight = [8, 7, 6, 5, 4, 3, 2, 1];
    expect(eight.map((v) => quartileOf(v, eight, 'HIGH_IS_GOOD', 0)).join('')).toBe('AABBCCDD');
    expect(quartileOf(6, [8, 7, 7, 6, 5, 4, 3, 2], 'HIGH_IS_GOOD', 0)).toBe('B'); // rank 4 of 8
    expect(quartileOf(7, [8, 7, 7, 6, 5, 4, 3, 2], 'HIGH_IS_GOOD', 0)).toBe('A'); // tie at rank 2
  });

  it('averages neighbours', () => {
    expect(mean([70, 80, 75])).toBe(75);
    expect(mean([])).toBeNull();
  });
});

describe('display', () => {
  it('formats values in their unit at the indicator’s decimal places', () => {
    expect(formatValue('PERCENT', 1, 74.8333)).toBe('74.8%');
    expect(formatValue('COUNT', 0, 304)).toBe('304');
    expect(formatValue('COUNT', 0, 12345)).toBe('12,345');
    expect(formatValue('RATE_PER_10K', 1, 45.25)).toBe('45.3');
    expect(formatValue('AVERAGE_POINTS', 2, 1.005)).toBe('1.01');
    expect(formatGap('PERCENT', 1, -3.25)).toBe('-3.3 pp');
    expect(formatGap('AVERAGE_POINTS', 1, 2)).toBe('2.0');
  });

  it('rounds half away from zero without binary artefacts', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.5, 0)).toBe(3);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(74.85, 1)).toBe(74.9);
    expect(roundTo(-0.04, 1)).toBe(0);
  });

  it('reads EES symbols, legacy k as low', () => {
    expect(normaliseSymbol('k')).toBe('low');
    expect(normaliseSymbol(' C ')).toBe('c');
    for (const s of ['c', 'x', 'z', 'low', 'u'] as const) expect(normaliseSymbol(s)).toBe(s);
    expect(normaliseSymbol('..')).toBe('x');
  });
});
