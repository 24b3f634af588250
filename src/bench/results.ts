// bench/results.json: exactly the shape issue 9 fixes, checked before it is written (and by the tests).
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
  })
  .strict()
  .refine((r) => r.operations.every((o, i) => o.name === OPERATIONS[i]), {
    message: `operations must be, in order: ${OPERATIONS.join(', ')}`,
  });

export type BenchResults = z.infer<typeof BenchResultsSchema>;
export type OperationResult = z.infer<typeof OperationResultSchema>;

/** Nearest-rank percentile of samples (ms), rounded to 0.1 ms. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return Math.round(sorted[rank - 1] * 10) / 10;
}
