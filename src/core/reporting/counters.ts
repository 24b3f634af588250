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

/** A read of the counters in progress for one client, and the one queued to start when it ends. */
interface Flight {
  current: Promise<StoreCounters> | null;
  next: Promise<StoreCounters> | null;
}
const flights = new WeakMap<Query, Flight>();

function startRead(flight: Flight, prisma: Query): Promise<StoreCounters> {
  const read = readStoreCounters(prisma);
  flight.current = read;
  const done = () => {
    if (flight.current === read) flight.current = null;
  };
  read.then(done, done);
  return read;
}

/**
 * The counters as `readStoreCounters` reads them, shared between concurrent requests without ever being
 * older than the call: a read already in progress may have started before a write the caller has seen
 * committed, so the caller waits for the next read, which starts when that one ends and serves every
 * request that arrived meanwhile. Under load, one statement serves a whole wave of requests instead of one
 * each; alone, a request reads at once.
 */
export function sharedStoreCounters(prisma: Query): Promise<StoreCounters> {
  let flight = flights.get(prisma);
  if (!flight) {
    flight = { current: null, next: null };
    flights.set(prisma, flight);
  }
  const f = flight;
  if (!f.current) return startRead(f, prisma);
  if (!f.next) {
    const settle = () => undefined;
    f.next = f.current.then(settle, settle).then(() => {
      f.next = null;
      return startRead(f, prisma);
    });
  }
  return f.next;
}
