// The cell key method (ABS TableBuilder; ONS Census 2021 flexible tables): consistent perturbation of every
// count PUBLIC and PARTNER viewers read.
//
// - Every person has a record key: a whole number in [0, 65536), the first 16 bits of md5(secret ‖ Person.id),
//   where the secret is the store's own (table CellKeySecret, made at random by its migration, never shown,
//   never changed). Facts that are not about a person (settings) take the key of md5(secret ‖ district).
// - A cell's key is the sum of its units' record keys (times what each unit adds to the count) modulo 65536,
//   computed in the same grouped statement that counts them (facts.ts), so the same people in any table,
//   cohort, overlap or export have the same cell key.
// - The published count is the count plus the perturbation the table below gives for that cell key: a
//   function of the count and the key only. The same people therefore always publish the same number
//   (a table and a cohort counting them agree; asking again gives nothing new), while two different sets of
//   people get independent noise, so a difference of published cells is a true difference plus noise.
//
// The perturbation table (ptable), for a true count n ≥ 1 and cell key k: the noise e is the first value of
// -5..5 whose cumulative weight (below, out of 65536) exceeds k; y = n + e. A y from 1 to threshold − 1 is
// never published: y < threshold/2 (or y ≤ 0) publishes 0, otherwise the threshold itself. n = 0 publishes 0.
// So with the default threshold 5:
//   noise           -5   -4    -3     -2      -1      0       1      2     3    4   5
//   weight/65536     1   30   600   4000   13000  30274   13000   4000   600   30   1
// Every published count p ≥ threshold may come from any true count in [p − 5, p + 5] (at least 1), and 0 from
// any true count from 0 to 7; a count from 1 to threshold − 1 is never published. A reader who combines
// tables bounds each true count by those intervals; pinning a small count needs some other count's noise at
// an extreme of ±5, which the table gives 1 cell key in 65536.
import { createHash } from 'node:crypto';

/** Cell keys are taken modulo this (record keys are 16 bits). */
export const CELL_KEY_MODULUS = 65_536;

/** Largest perturbation either way. */
export const MAX_NOISE = 5;

/** Weights of the noise −5..5, out of CELL_KEY_MODULUS (symmetric; mean 0, variance ≈ 1.07). */
export const NOISE_WEIGHTS: readonly number[] = [1, 30, 600, 4000, 13000, 30274, 13000, 4000, 600, 30, 1];

let running = 0;
const CUMULATIVE = NOISE_WEIGHTS.map((w) => {
  running += w;
  return running;
});
if (CUMULATIVE.at(-1) !== CELL_KEY_MODULUS) throw new Error('The perturbation table must cover every cell key');

/** A cell key from a sum of record keys (any whole number, as the grouped statement returns it). */
export function cellKey(sum: number): number {
  const k = Math.round(sum) % CELL_KEY_MODULUS;
  return k < 0 ? k + CELL_KEY_MODULUS : k;
}

/** The noise the table gives a cell key. */
export function noiseOf(key: number): number {
  const k = cellKey(key);
  for (let i = 0; i < CUMULATIVE.length; i++) if (k < CUMULATIVE[i]) return i - MAX_NOISE;
  return MAX_NOISE;
}

/**
 * The published count of a cell: its true count (rounded to whole people) perturbed by the table, with no
 * result from 1 to threshold − 1. A function of the count and the cell key alone.
 */
export function perturb(count: number, key: number, threshold: number): number {
  const n = Math.round(count);
  if (n <= 0) return 0;
  const y = n + noiseOf(key);
  if (y >= threshold) return y;
  if (y <= 0 || 2 * y < threshold) return 0;
  return threshold;
}

/** Every true count a published count can come from (the reader's bounds): [lowest, highest]. */
export function possibleCounts(published: number, threshold: number): [number, number] {
  if (published === 0) return [0, Math.max(0, Math.ceil(threshold / 2) - 1) + MAX_NOISE];
  // The threshold itself also stands for the small results moved up to it.
  return [published === threshold ? 1 : Math.max(1, published - MAX_NOISE), published + MAX_NOISE];
}

/**
 * A record key in SQL for a person id expression (text), or, for facts not about a person, the district's:
 * the first 16 bits of md5(secret ‖ id). The secret is read once per statement (an uncorrelated subquery).
 */
export function recordKeySql(personId: string, districtCode: string): string {
  const secret = `(SELECT "secret" FROM "CellKeySecret" WHERE "id" = 1)`;
  const id = `COALESCE(${personId}, 'district:' || ${districtCode})`;
  return `('x' || substr(md5(${secret} || ${id}), 1, 4))::bit(16)::int`;
}

/** The same record key computed outside the database (tests, and anything that counts in the process). */
export function recordKey(secret: string, personId: string): number {
  return Number.parseInt(
    createHash('md5')
      .update(secret + personId)
      .digest('hex')
      .slice(0, 4),
    16,
  );
}
