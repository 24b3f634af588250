// A cohort's stored membership: its members' Person ordinals (a number each person is given once, never
// reused), sorted, each with the index of their home district in a list of district codes. Two cohorts
// stored at the same state of the Person table are intersected by one merge of two sorted arrays, without
// the database, which keeps an overlap's cost flat as the directorate grows (the live statement joins
// both cohorts' person ids to Person). Binary, so a cohort of 200,000 people is about 1.6 MB.
//
// Each member also carries their record key (disclosure control's cell key method, reporting/cell-key.ts),
// so an overlap counted here has the same cell keys as one counted by the database.
//
// Layout (little-endian): "CYM2", member count n, byte length of the district list; the district list
// as JSON (padded to 4 bytes); n Int32 ordinals, ascending; n Uint16 district indexes (NONE = no district);
// n Uint16 record keys.

const MAGIC = 0x324d5943; // "CYM2"
/** District index of a member without a home district. */
export const NONE = 0xffff;

export interface Members {
  /** Ascending Person ordinals. */
  ordinals: Int32Array;
  /** Index into `districts` of each member's home district, NONE without one. */
  district: Uint16Array;
  districts: string[];
  /** Each member's record key. */
  keys: Uint16Array;
}

/** Members from rows of (ordinal, district code), in any order; an ordinal listed twice counts once. */
export function membersFrom(
  rows: readonly { ordinal: number; district: string | null; key?: number | null }[],
): Members {
  const sorted = [...rows].sort((a, b) => a.ordinal - b.ordinal);
  const districts: string[] = [];
  const indexOf = new Map<string, number>();
  const ordinals: number[] = [];
  const district: number[] = [];
  const keys: number[] = [];
  for (const r of sorted) {
    if (ordinals.length && ordinals[ordinals.length - 1] === r.ordinal) continue;
    let d = NONE;
    if (r.district !== null) {
      d = indexOf.get(r.district) ?? -1;
      if (d < 0) {
        d = districts.length;
        if (d >= NONE) throw new Error('A cohort spans more districts than its stored form can hold');
        districts.push(r.district);
        indexOf.set(r.district, d);
      }
    }
    ordinals.push(r.ordinal);
    district.push(d);
    keys.push(Number(r.key ?? 0));
  }
  return {
    ordinals: Int32Array.from(ordinals),
    district: Uint16Array.from(district),
    districts,
    keys: Uint16Array.from(keys),
  };
}

export function encodeMembers(m: Members): Buffer {
  const codes = Buffer.from(JSON.stringify(m.districts), 'utf8');
  const padded = Math.ceil(codes.length / 4) * 4;
  const n = m.ordinals.length;
  const out = Buffer.alloc(12 + padded + 4 * n + 4 * n);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(codes.length, 8);
  codes.copy(out, 12);
  let at = 12 + padded;
  for (let i = 0; i < n; i++, at += 4) out.writeInt32LE(m.ordinals[i], at);
  for (let i = 0; i < n; i++, at += 2) out.writeUInt16LE(m.district[i], at);
  for (let i = 0; i < n; i++, at += 2) out.writeUInt16LE(m.keys[i], at);
  return out;
}

export function decodeMembers(bytes: Uint8Array): Members {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.readUInt32LE(0) !== MAGIC) throw new Error('Not a stored cohort membership');
  const n = b.readUInt32LE(4);
  const codesLength = b.readUInt32LE(8);
  const districts = JSON.parse(b.toString('utf8', 12, 12 + codesLength)) as string[];
  let at = 12 + Math.ceil(codesLength / 4) * 4;
  if (b.length !== at + 8 * n) throw new Error('A stored cohort membership is truncated');
  const ordinals = new Int32Array(n);
  for (let i = 0; i < n; i++, at += 4) ordinals[i] = b.readInt32LE(at);
  const district = new Uint16Array(n);
  for (let i = 0; i < n; i++, at += 2) district[i] = b.readUInt16LE(at);
  const keys = new Uint16Array(n);
  for (let i = 0; i < n; i++, at += 2) keys[i] = b.readUInt16LE(at);
  return { ordinals, district, districts, keys };
}

/** Per home district: the size of each cohort and of their intersection (districts absent count nothing). */
export interface DistrictOverlap {
  district: string;
  sizeThis: number;
  sizeOther: number;
  both: number;
  /** Sums of the record keys of each side's members and of the intersection's. */
  keyThis: number;
  keyOther: number;
  keyBoth: number;
}

/**
 * The overlap of two memberships stored at the same state of Person (so a person has one district in
 * both), by district of residence; members without a district are left out, as in the live statement.
 */
export function overlapByDistrict(a: Members, b: Members): DistrictOverlap[] {
  const rows = new Map<string, DistrictOverlap>();
  const row = (code: string) => {
    let r = rows.get(code);
    if (!r) {
      r = { district: code, sizeThis: 0, sizeOther: 0, both: 0, keyThis: 0, keyOther: 0, keyBoth: 0 };
      rows.set(code, r);
    }
    return r;
  };
  const aRows = a.districts.map(row);
  const bRows = b.districts.map(row);
  a.district.forEach((d, i) => {
    if (d === NONE) return;
    aRows[d].sizeThis++;
    aRows[d].keyThis += a.keys[i];
  });
  b.district.forEach((d, i) => {
    if (d === NONE) return;
    bRows[d].sizeOther++;
    bRows[d].keyOther += b.keys[i];
  });
  const x = a.ordinals;
  const y = b.ordinals;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] < y[j]) i++;
    else if (x[i] > y[j]) j++;
    else {
      if (a.district[i] !== NONE) {
        aRows[a.district[i]].both++;
        aRows[a.district[i]].keyBoth += a.keys[i];
      }
      i++;
      j++;
    }
  }
  return [...rows.values()];
}
