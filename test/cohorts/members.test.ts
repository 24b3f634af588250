// Stored cohort memberships (src/core/cohorts/members.ts): the binary form gives back exactly what was
// stored, and the merge of two memberships counts, per district, what a set intersection counts by hand,
// with the sums of the members' record keys (disclosure control's cell keys) beside the counts.
import { describe, expect, it } from 'vitest';
import { decodeMembers, encodeMembers, membersFrom, NONE, overlapByDistrict } from '../../src/core/cohorts/members.js';
import { createRng } from '../../src/core/rng.js';

const DISTRICTS = ['E07000105', 'E07000106', 'E07000107', null] as const;

/** A person's district and record key are properties of the person: the same in every cohort. */
const districtOf = (ordinal: number) => DISTRICTS[(ordinal * 7) % DISTRICTS.length];
const keyOf = (ordinal: number) => (ordinal * 40_503) % 65_536;

function cohort(seed: number, size: number, population: number) {
  const rng = createRng(seed);
  const ordinals = Array.from({ length: size }, () => rng.int(1, population));
  return ordinals.map((ordinal) => ({ ordinal, district: districtOf(ordinal), key: keyOf(ordinal) }));
}

describe('stored memberships', () => {
  it('round-trip through their binary form, sorted and without repeats', () => {
    const rows = cohort(1, 5_000, 20_000);
    const m = membersFrom(rows);
    const unique = [...new Set(rows.map((r) => r.ordinal))].sort((a, b) => a - b);
    expect([...m.ordinals]).toEqual(unique);
    expect([...m.district].map((d) => (d === NONE ? null : m.districts[d]))).toEqual(unique.map(districtOf));
    const back = decodeMembers(new Uint8Array(encodeMembers(m)));
    expect([...back.keys]).toEqual(unique.map(keyOf));
    expect(back).toEqual(m);
  });

  it('hold an empty cohort', () => {
    const m = membersFrom([]);
    expect(decodeMembers(encodeMembers(m))).toEqual(m);
    expect(overlapByDistrict(m, m)).toEqual([]);
  });

  it('refuse bytes that are not a stored membership, or are cut short', () => {
    expect(() => decodeMembers(Buffer.from('not a membership'))).toThrow(/Not a stored cohort membership/);
    const bytes = encodeMembers(membersFrom(cohort(2, 100, 1_000)));
    expect(() => decodeMembers(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
  });

  it('count sizes and the intersection per district as a hand count does, leaving out people without one', () => {
    const a = cohort(3, 4_000, 10_000);
    const b = cohort(4, 6_000, 10_000);
    const got = new Map(
      overlapByDistrict(decodeMembers(encodeMembers(membersFrom(a))), decodeMembers(encodeMembers(membersFrom(b)))).map(
        (r) => [r.district, r],
      ),
    );
    const setA = new Set(a.map((r) => r.ordinal));
    const setB = new Set(b.map((r) => r.ordinal));
    for (const d of DISTRICTS.filter((x) => x !== null)) {
      const inD = (o: number) => districtOf(o) === d;
      const sizeThis = [...setA].filter(inD).length;
      const sizeOther = [...setB].filter(inD).length;
      const inBoth = [...setA].filter((o) => inD(o) && setB.has(o));
      const both = inBoth.length;
      expect(both).toBeGreaterThan(0);
      const keys = (list: number[]) => list.reduce((s, o) => s + keyOf(o), 0);
      expect(got.get(d)).toEqual({
        district: d,
        sizeThis,
        sizeOther,
        both,
        keyThis: keys([...setA].filter(inD)),
        keyOther: keys([...setB].filter(inD)),
        keyBoth: keys(inBoth),
      });
    }
    expect(got.size).toBe(3);
  });
});
