// The store's write counters with the identity of the database, as the result cache keys entries by them
// (cache.ts). Apart from snapshots.ts so that the per-request context can read them without importing the
// engine.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { StoreCounters } from './cache.js';

type Query = Pick<PrismaClient, '$queryRaw'>;

/**
 * Every table's write counter and the identity of the database keeping them, in one statement: the
 * result cache's keys (cache.ts). The identity (the cluster's system identifier, the counters table's
 * object id, the server's start time) differs for another database, one created again (a migration reset,
 * a restore) and after a restart (a point-in-time recovery), so counters that start again from the same
 * numbers never meet entries cached from other data.
 */
export async function readStoreCounters(prisma: Query): Promise<StoreCounters> {
  const rows = await prisma.$queryRaw<{ table: string | null; version: string }[]>`
    SELECT "table", "version"::text AS version FROM "TableVersion"
    UNION ALL
    SELECT NULL, concat_ws('/', (SELECT system_identifier FROM pg_control_system()), '"TableVersion"'::regclass::oid,
                           (extract(epoch FROM pg_postmaster_start_time()) * 1e6)::bigint)`;
  const identity = rows.find((r) => r.table === null)?.version ?? '';
  return { identity, tables: new Map(rows.flatMap((r) => (r.table === null ? [] : [[r.table, r.version]]))) };
}
