// The benchmark generator is deterministic: the same seed and scale write the same rows (every data table's
// count and content checksum), another seed writes other rows, and its report counts what it wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { tableChecksums } from '../../src/bench/checksum.js';
import { type GenerateReport, generateDirectorate, generatedIn } from '../../src/bench/generate.js';
import { KENT_DISTRICTS, NEIGHBOURS } from '../../src/core/demo-areas.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';

const SCALE = 0.002; // 600 people
let db: Database;

async function wipe() {
  const tables = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

let first: GenerateReport;
let firstSums: Awaited<ReturnType<typeof tableChecksums>>;

beforeAll(async () => {
  db = await createTestDatabase();
  first = await generateDirectorate(db, allServices, { scale: SCALE, seed: 7 });
  firstSums = await tableChecksums(db);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('cype generate', () => {
  it('writes 300,000 x scale people, every service, and says what it holds', async () => {
    // The core people are P0000001…P0000600 (services may add others of their own, e.g. adults in families).
    const ids = Array.from({ length: 600 }, (_, i) => `P${String(i + 1).padStart(7, '0')}`);
    const people = await db.prisma.person.findMany({
      where: { id: { in: ids } },
      select: { id: true, birthMonth: true },
    });
    expect(people).toHaveLength(600);
    // Characteristics: one row per core person per academic year 2012/13-2017/18 at ages 2 to 19.
    let expected = 0;
    for (const p of people) {
      const born = p.birthMonth.getUTCFullYear();
      for (let y = 2012; y < 2018; y++) if (y - born >= 2 && y - born <= 19) expected++;
    }
    expect(await db.prisma.personCharacteristic.count({ where: { personId: { in: ids } } })).toBe(expected);
    expect(first.rowsByPhase.people).toBe(600 + expected);
    expect(await generatedIn(db)).toEqual({ scale: SCALE, seed: 7, services: allServices.map((s) => s.slug) });
    // Every service's seed ran and wrote something.
    for (const s of allServices) expect(first.rowsByPhase[s.slug], s.slug).toBeGreaterThan(0);
    expect(first.rows).toBe(Object.values(first.rowsByPhase).reduce((a, b) => a + b, 0));
  });

  it('publishes England and every neighbour for every indicator and period of its type, and Kent targets', async () => {
    const indicators = allServices.flatMap((s) => s.indicators);
    for (const def of indicators) {
      const periods = await db.prisma.period.count({
        where: { type: def.periodType, startDate: { gte: new Date(Date.UTC(2012, 0, 1)) } },
      });
      const national = await db.prisma.observation.count({
        where: { indicatorCode: def.code, areaCode: 'E92000001', breakdown: 'TOTAL' },
      });
      const neighbours = await db.prisma.observation.groupBy({
        by: ['areaCode'],
        where: { indicatorCode: def.code, areaCode: { in: NEIGHBOURS.map((n) => n.code) } },
      });
      expect(national, def.code).toBeGreaterThanOrEqual(periods);
      expect(neighbours.length, def.code).toBe(NEIGHBOURS.length);
      if (def.polarity !== 'NO_JUDGEMENT') {
        expect(
          await db.prisma.target.count({ where: { indicatorCode: def.code, areaCode: 'E10000016' } }),
        ).toBeGreaterThanOrEqual(periods);
      }
    }
    expect(await db.prisma.area.count({ where: { level: 'DISTRICT' } })).toBe(KENT_DISTRICTS.length);
  });

  it('writes exactly the same rows again from the same seed, and other rows from another', async () => {
    await wipe();
    const again = await generateDirectorate(db, allServices, { scale: SCALE, seed: 7 });
    expect(again.rowsByPhase).toEqual(first.rowsByPhase);
    expect(await tableChecksums(db)).toEqual(firstSums);

    await wipe();
    await generateDirectorate(db, allServices, { scale: SCALE, seed: 8 });
    const other = await tableChecksums(db);
    expect(other.PersonCharacteristic.md5).not.toBe(firstSums.PersonCharacteristic.md5);
    expect(other.Person.md5).not.toBe(firstSums.Person.md5);
  }, 120_000);

  it('refuses a store that already holds people', async () => {
    await expect(generateDirectorate(db, allServices, { scale: SCALE })).rejects.toThrow(/already holds people/);
  });
});
