// Materialised facts (src/core/reporting/snapshots.ts): every table but the bookkeeping ones carries the
// table-version trigger, and any write raises its counter; once materialised, a figure is read from its
// snapshot (no grouped statement) and equals the one computed from the fixture rows; a write to a table the
// indicator reads (by any writer, here plain SQL) makes the snapshot stale, so the figure is computed live
// and shows the write, while a write to another table leaves it fresh; a snapshot computed by another
// statement (another release) is never read; suppressed viewers read the same snapshot, suppressed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT } from '../../src/core/demo-areas.js';
import { materialiseFacts, readTableVersions, UNCOUNTED } from '../../src/core/reporting/snapshots.js';
import { recorded, type TestApp } from '../harness.js';
import { readingPilot } from '../pilot/plugin.js';
import {
  AY2015,
  AY2016,
  completion,
  createFixture,
  type Fixture,
  publishedCompletion,
  uncachedPilotApps,
} from './fixtures.js';

let fx: Fixture;
let app: TestApp;
let suppressed: TestApp;
beforeAll(async () => {
  fx = await createFixture();
  // No cross-request cache: each request shows whether it read a snapshot or ran the grouped statement.
  ({ app, suppressed } = uncachedPilotApps(fx.db));
});
afterAll(() => fx?.db.close());

const VALUE = (area: string, period: string) =>
  `{ indicator(code: "PILOT_COMPLETION") { value(area: "${area}", period: "${period}") {
      value { value symbol } numerator { value } denominator { value } } } }`;

async function ask(on: TestApp, area = KENT, period = AY2016) {
  type Value = { value: { value: number | null; symbol: string | null }; numerator: { value: number | null } };
  let value: Value | undefined;
  const statements = await recorded(fx.db, async () => {
    const r = await on.gql<{ indicator: { value: Value } }>(VALUE(area, period));
    expect(r.errors).toBeUndefined();
    value = r.data!.indicator.value;
  });
  return {
    value: value!,
    grouped: statements.filter((s) => s.includes('WITH facts AS')).length,
    snapshotReads: statements.filter((s) => s.includes('FROM "FactsSnapshot"')).length,
  };
}

describe('table versions', () => {
  it('has the trigger on every table but the bookkeeping ones', async () => {
    const rows = await fx.db.prisma.$queryRaw<{ table: string; triggered: boolean }[]>`
      SELECT c.relname AS table,
             EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'cype_table_version') AS triggered
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = current_schema() AND c.relkind = 'r'`;
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows)
      expect({ table: r.table, triggered: r.triggered }).toEqual({
        table: r.table,
        triggered: !UNCOUNTED.includes(r.table),
      });
  });

  it('raises a table’s counter on every writing statement, and no other table’s', async () => {
    const before = await readTableVersions(fx.db.prisma);
    await fx.db.prisma.$executeRaw`UPDATE "Target" SET value = value WHERE false`;
    await fx.db.prisma.target.create({
      data: { indicatorCode: 'PILOT_COMPLETION', areaCode: KENT, periodCode: AY2015, kind: 'TARGET', value: 70 },
    });
    await fx.db.prisma.target.deleteMany({ where: { periodCode: AY2015 } });
    const after = await readTableVersions(fx.db.prisma);
    expect(Number(after.get('Target'))).toBe(Number(before.get('Target') ?? 0) + 3);
    for (const [table, v] of before) if (table !== 'Target') expect(after.get(table)).toBe(v);
  });
});

describe('materialised facts', () => {
  it('are read instead of the grouped statement, with the figures of the rows', async () => {
    const report = await materialiseFacts(fx.db, [readingPilot]);
    // Three record-level pilot indicators and the pilot's cohort x every stored academic year.
    const years = await fx.db.prisma.period.count({ where: { type: 'ACADEMIC_YEAR' } });
    expect(report).toMatchObject({ snapshots: 4 * years, failed: 0 });
    const r = await ask(app);
    expect(r.grouped).toBe(0);
    expect(r.snapshotReads).toBeGreaterThan(0);
    const e = completion(fx.rows.get(AY2016)!, KENT);
    expect(r.value.numerator.value).toBe(e.numerator);
    expect(r.value.value.value).toBeCloseTo((100 * e.numerator) / e.denominator, 10);
  });

  it('stay fresh across writes to tables the indicator does not read', async () => {
    await fx.db.prisma.target.create({
      data: { indicatorCode: 'PILOT_COMPLETION', areaCode: KENT, periodCode: AY2016, kind: 'STRETCH', value: 99 },
    });
    expect((await ask(app)).grouped).toBe(0);
  });

  it('are stale after any write to a table the indicator reads, so the figure is computed and shows it', async () => {
    const rows = fx.rows.get(AY2016)!;
    const notDone = rows.find((r) => !r.completed)!;
    // Plain SQL, as psql would: no import, no invalidation; the trigger still counts it.
    await fx.db.prisma.$executeRaw`
      UPDATE "ReadingPilotEnrolment" SET completed = true WHERE "personId" = ${notDone.personId} AND "periodCode" = ${AY2016}`;
    notDone.completed = true;
    const r = await ask(app);
    expect(r.grouped).toBeGreaterThan(0);
    const e = completion(rows, KENT);
    expect(r.value.numerator.value).toBe(e.numerator);
    // Materialised again, the snapshot has the change.
    await materialiseFacts(fx.db, [readingPilot], { tables: ['ReadingPilotEnrolment'] });
    const again = await ask(app);
    expect(again.grouped).toBe(0);
    expect(again.value.numerator.value).toBe(e.numerator);
  });

  it('are not read when another statement computed them', async () => {
    await fx.db.prisma.factsSnapshot.updateMany({
      where: { indicatorCode: 'PILOT_COMPLETION', periodCode: AY2016 },
      data: { variant: 'an-older-release' },
    });
    expect((await ask(app)).grouped).toBeGreaterThan(0);
    await materialiseFacts(fx.db, [readingPilot]);
    expect((await ask(app)).grouped).toBe(0);
  });

  it('are never made for an indicator reading a table whose writes are not counted', async () => {
    await fx.db.prisma.$executeRawUnsafe('DROP TRIGGER cype_table_version ON "ReadingPilotEnrolment"');
    try {
      const said: string[] = [];
      const report = await materialiseFacts(fx.db, [readingPilot], { log: (m) => said.push(m) });
      expect(report.snapshots).toBe(0);
      expect(said).toContain('PILOT_COMPLETION: not materialised, no write counter on ReadingPilotEnrolment');
    } finally {
      await fx.db.prisma.$queryRawUnsafe('SELECT cype_version_tables()');
    }
    expect((await materialiseFacts(fx.db, [readingPilot])).snapshots).toBeGreaterThan(0);
  });

  it('give viewers under disclosure control the same figures, published by their cell keys', async () => {
    const r = await ask(suppressed, KENT, AY2016);
    expect(r.grouped).toBe(0);
    // The stored facts carry the cell keys: the published count is the one worked out from the rows.
    expect(r.value.numerator.value).toBe(publishedCompletion(fx.rows.get(AY2016)!, KENT).numerator);
  });
});
