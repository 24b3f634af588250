// bench/results.json: exactly the shape issue 9 fixes, checked before it is written (and by the tests), with
// the two measurements issue 15 adds (optional, so earlier files still read; null when the run skipped them):
// 20 concurrent disproportionality requests, and the largest export the limits allow.
import { z } from 'zod';
import { OPERATIONS } from './operations.js';

const ms = z.number().nonnegative();
const nullableNumber = z.number().nonnegative().nullable();

export const OperationResultSchema = z
  .object({
    name: z.enum(OPERATIONS as [string, ...string[]]),
    p50Ms: ms,
    p95Ms: ms,
    p99Ms: ms,
    sqlStatements: z.number().int().nonnegative(),
    floorP50Ms: ms,
    ratioToFloor: z.number().positive(),
    rps10: nullableNumber,
    rps50: nullableNumber,
  })
  .strict();

const count = z.number().int().nonnegative();

/** Concurrent requests sent at once: HTTP statuses, how many were 503, and latency over the burst. */
export const BurstSchema = z
  .object({
    requests: count,
    /** Responses by HTTP status code (`"200": 20`); `"network"` for a request that got no response. */
    statuses: z.record(z.string(), count),
    count503: count,
    /** Responses with a GraphQL error in their body (whatever their status). */
    withErrors: count,
    p50Ms: ms,
    p95Ms: ms,
    maxMs: ms,
    /** From the first request sent to the last answer. */
    wallMs: ms,
  })
  .strict();

export const DisproportionalityResultSchema = z
  .object({
    /** Who asked (PUBLIC: disclosure control, every count published by the cell key method). */
    role: z.string().min(1),
    /** Requests sent at once, each a different cohort × dimension (× area), every financial year. */
    concurrency: count,
    periods: count,
    /** A fresh server (empty result cache), the population aged 10 to 17 not stored (as after an import of people). */
    cold: BurstSchema,
    /** The same requests again on the same server. */
    warm: BurstSchema,
    /** `/healthz` polled during the cold burst. */
    healthz: z.object({ probes: count, non200: count, maxMs: ms }).strict(),
  })
  .strict();

/** One GET of the export, read to its last byte. */
export const ExportRunSchema = z
  .object({
    status: count,
    bytes: count,
    lines: count,
    firstByteMs: ms,
    lastByteMs: ms,
    /** Read to its end (false: the server cut it, e.g. at the execution time limit). */
    complete: z.boolean(),
  })
  .strict();

export const ExportResultSchema = z
  .object({
    role: z.string().min(1),
    /** CYPE_EXPORT_MAX_CELLS as the server reads it. */
    maxCells: count,
    cells: count,
    codes: count,
    areas: count,
    periods: count,
    /** A fresh server (empty result cache). */
    cold: ExportRunSchema,
    /** The same request again on the same server. */
    warm: ExportRunSchema,
  })
  .strict();

export const BenchResultsSchema = z
  .object({
    db: z.enum(['pglite', 'postgres']),
    scale: z.number().positive(),
    machine: z.string().min(1),
    operations: z.array(OperationResultSchema).length(OPERATIONS.length),
    helloWorldRps: nullableNumber,
    import: z
      .object({ format: z.string().min(1), rows: z.number().int().nonnegative(), rowsPerSecond: nullableNumber })
      .strict(),
    disproportionality: DisproportionalityResultSchema.nullable().optional(),
    export: ExportResultSchema.nullable().optional(),
  })
  .strict()
  .refine((r) => r.operations.every((o, i) => o.name === OPERATIONS[i]), {
    message: `operations must be, in order: ${OPERATIONS.join(', ')}`,
  });

export type BenchResults = z.infer<typeof BenchResultsSchema>;
export type OperationResult = z.infer<typeof OperationResultSchema>;
export type Burst = z.infer<typeof BurstSchema>;
export type DisproportionalityResult = z.infer<typeof DisproportionalityResultSchema>;
export type ExportRun = z.infer<typeof ExportRunSchema>;
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** Nearest-rank percentile of samples (ms), rounded to 0.1 ms. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return Math.round(sorted[rank - 1] * 10) / 10;
}
