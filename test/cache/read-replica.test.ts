// A read replica for reporting (DATABASE_REPLICA_URL): figures are read from the replica only while it has
// replayed every write to the tables they read (its table counters equal the primary's); a replica that
// lags behind on those tables is passed over for the primary, so no answer is older than the primary's
// data. PostgreSQL only (TEST_DATABASE_URL); the "replica" is a second database given the same writes, and
// its lag is a write made to the primary alone. Skipped with a notice without PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db.js';
import { createServerDatabase, loadMigrations, TEST_DATABASE_URL } from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import {
  cacheApp,
  enrolmentsCsv,
  enrolmentsFormat,
  expected,
  FIRST,
  importCsv,
  loadFixture,
  recorded,
  SECOND,
} from './fixture.js';

if (!TEST_DATABASE_URL) console.warn('test/cache/read-replica.test.ts skipped: TEST_DATABASE_URL is not set.');

describe.skipIf(!TEST_DATABASE_URL)('a read replica for reporting', () => {
  const drops: (() => Promise<void>)[] = [];
  let primary: Database;
  let replica: Database;
  let app: ReturnType<typeof cacheApp>;

  async function store(): Promise<string> {
    const server = await createServerDatabase('cype_replica');
    drops.push(server.drop);
    await loadMigrations({ url: server.url }, [pilotSql()]);
    return server.url;
  }

  beforeAll(async () => {
    const [primaryUrl, replicaUrl] = [await store(), await store()];
    // The same writes on both, as streaming replication would replay them.
    replica = await openDatabase({ url: replicaUrl, replicaUrl: null });
    await loadFixture(replica);
    primary = await openDatabase({ url: primaryUrl, replicaUrl });
    await loadFixture(primary);
    app = cacheApp(primary, { cache: { enabled: false } });
  });

  afterAll(async () => {
    await app?.app.dispose();
    await primary?.close();
    await replica?.close();
    for (const drop of drops) await drop();
  });

  /** The figures, and where their grouped statements ran. */
  async function ask() {
    let figures: Awaited<ReturnType<typeof app.figures>> | undefined;
    const statements = await recorded(primary, async () => {
      figures = await app.figures();
    });
    const grouped = statements.filter((s) => s.includes('WITH facts AS'));
    return {
      figures: figures!,
      onReplica: grouped.filter((s) => s.startsWith('[replica] ')).length,
      onPrimary: grouped.filter((s) => !s.startsWith('[replica] ')).length,
    };
  }

  it('reads figures from the replica while it has replayed every write to their tables', async () => {
    const r = await ask();
    expect(r.onReplica).toBeGreaterThan(0);
    expect(r.onPrimary).toBe(0);
    expect(r.figures.enrolments.value.value.value).toBe(expected(FIRST).kent);
  });

  it('reads from the primary while the replica lags behind on those tables, so nothing older is shown', async () => {
    await importCsv(primary, enrolmentsFormat, enrolmentsCsv(SECOND));
    const lagging = await ask();
    expect(lagging.onReplica).toBe(0);
    expect(lagging.onPrimary).toBeGreaterThan(0);
    expect(lagging.figures.enrolments.value.value.value).toBe(expected(FIRST, SECOND).kent);
    expect(lagging.figures.completion.value.numerator.value).toBe(expected(FIRST, SECOND).completed);
    // The replica catches up: back to it, with the new figures.
    await importCsv(replica, enrolmentsFormat, enrolmentsCsv(SECOND));
    const caughtUp = await ask();
    expect(caughtUp.onReplica).toBeGreaterThan(0);
    expect(caughtUp.onPrimary).toBe(0);
    expect(caughtUp.figures.enrolments.value.value.value).toBe(expected(FIRST, SECOND).kent);
  });
});
