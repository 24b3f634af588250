// Where figures are read from: the primary, or the read replica when it has replayed every write to the
// tables a figure reads (compared by the table write counters, snapshots.ts), and the stored rows
// (materialised figures) read there.
import type { Context } from '../../context.js';
import type { TableSet } from './cache.js';
import { readTableVersions, type SnapshotAsk, snapshotsEnabled, versionStamp } from './snapshots.js';

interface TableCounters {
  primary: ReadonlyMap<string, string>;
  replica: Map<string, string> | null;
}

/**
 * The table write counters of the primary and of the read replica (null without one, or when it does not
 * answer: every read then goes to the primary), read once per request, when some figure is not cached.
 */
function tableVersions(ctx: Context): Promise<TableCounters> {
  return ctx
    .loader<string, TableCounters>('reporting.tableVersions', async (keys) => {
      const replica = ctx.db.replica;
      const [primary, onReplica] = await Promise.all([
        // The counters the result cache read for this request (one statement for both), else read now.
        ctx.results.tableVersions().then((v) => v ?? readTableVersions(ctx.db.prisma)),
        replica
          ? readTableVersions(replica).catch((e: Error) => {
              console.warn(
                `The read replica did not answer; reading from the primary: ${e.message.split('\n').at(-1)}`,
              );
              return null;
            })
          : null,
      ]);
      return keys.map(() => ({ primary, replica: onReplica }));
    })
    .load('all');
}

/** The database to read figures over `tables` from, with its counters: the replica when it has replayed every write to them. */
function route(ctx: Context, versions: TableCounters, tables: TableSet) {
  if (
    ctx.db.replica &&
    versions.replica &&
    versionStamp(tables, versions.replica) === versionStamp(tables, versions.primary)
  ) {
    return { client: ctx.db.replica, versions: versions.replica };
  }
  return { client: ctx.db.prisma, versions: versions.primary };
}

type Client = Context['db']['prisma'];

/**
 * Stored rows (snapshots.ts) for the asks, where fresh, each read from the database its tables route to
 * (the replica when it has replayed every write to them): one statement per database. Also where each
 * ask's live figures are to be read. Indicators, cohorts and list totals all read their stored rows here.
 */
export async function readStored<T>(
  ctx: Context,
  asked: SnapshotAsk[],
  read: (client: Client, asked: SnapshotAsk[], versions: ReadonlyMap<string, string>) => Promise<Map<string, T>>,
): Promise<{ found: Map<string, T>; clientOf: Map<string, Client> }> {
  const versions = await tableVersions(ctx);
  const routed = asked.map((ask) => ({ ask, ...route(ctx, versions, ask.tables) }));
  const clientOf = new Map(routed.map((r) => [r.ask.key, r.client]));
  const found = new Map<string, T>();
  if (!snapshotsEnabled()) return { found, clientOf };
  for (const client of new Set(routed.map((r) => r.client))) {
    const mine = routed.filter((r) => r.client === client);
    const got = await read(
      client,
      mine.map((r) => r.ask),
      mine[0].versions,
    );
    for (const [k, v] of got) found.set(k, v);
  }
  return { found, clientOf };
}
