// The benchmark generator is deterministic: the same seed and scale write the same rows (every data table's
// count and content checksum), another seed writes other rows, and its report counts what it wrote. The
// seeds read the people back a page at a time (src/core/demo-population.ts): a small directorate generated in small
// pages, as a large one is, is deterministic too, and differs from the one-page run only where a seed's
// draws run page by page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { tableChecksums } from '../../src/bench/checksum.js';
import { type GenerateReport, generateDirectorate, generatedIn } from '../../src/bench/generate.js';
import { KENT_DISTRICTS, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { peoplePages, seedPaging } from '../../src/core/demo-population.js';
import type { Database } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createTestDatabase } from '../harness.js';

const SCALE = 0.002; // 600 people
let db: Database;

// Everything but the migrations and the store's cell key secret (made by its migration, not by a seed).
async function wipe() {
  const tables = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('_prisma_migrations', 'CellKeySecret')`,
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

describe('cype generate, a page at a time', () => {
  it('reads the people back in pages: each person once, in id order, with their characteristics', async () => {
    const where = Prisma.sql`p."birthMonth" >= ${new Date(Date.UTC(2007, 0, 1))}`;
    const pages: string[][] = [];
    const seen = new Map<string, string>();
    for await (const page of peoplePages(db.prisma, { where, year: 2015, pageSize: 7 })) {
      pages.push(page.map((p) => p.id));
      for (const p of page) {
        const c = p.characteristics.get(2015);
        expect([...p.characteristics.keys()].every((y) => y === 2015)).toBe(true);
        seen.set(p.id, c ? [c.fsm, c.senStatus, c.inCare, c.eal].join() : '');
      }
    }
    const expected = await db.prisma.$queryRaw<{ id: string; c: string | null }[]>`
      SELECT p.id, concat_ws(',', pc.fsm::text, pc."senStatus"::text, pc."inCare"::text, pc.eal::text) AS c
      FROM "Person" p LEFT JOIN "PersonCharacteristic" pc ON pc."personId" = p.id AND pc."periodCode" = '2015/2016|AY'
      WHERE ${where} ORDER BY p.id`;
    expect(expected.length).toBeGreaterThan(14);
    expect(pages.flat()).toEqual(expected.map((r) => r.id));
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect([...seen.values()]).toEqual(expected.map((r) => r.c ?? ''));
  });

  it('is deterministic in small pages, and page size only changes the draws that run page by page', async () => {
    const pageSize = seedPaging.peoplePerPage;
    // 600 people in pages of 16: a reception cohort (about 30 children) takes two pages.
    seedPaging.peoplePerPage = 16;
    try {
      await wipe();
      const paged = await generateDirectorate(db, allServices, { scale: SCALE, seed: 7 });
      const sums = await tableChecksums(db);
      await wipe();
      await generateDirectorate(db, allServices, { scale: SCALE, seed: 7 });
      expect(await tableChecksums(db)).toEqual(sums);
      expect(paged.rowsByPhase.people).toBe(first.rowsByPhase.people);
      // Early Years draws GLD, take-up and registrations a page at a time (and its settings come after them
      // in its stream). Every other table is as in one page.
      const byPage = new Set([
        'EyfsResult',
        'TwoYearOldFunding',
        'ChildrensCentreRegistration',
        'EarlyYearsSetting',
        'EarlyYearsInspection',
      ]);
      for (const [table, sum] of Object.entries(sums)) {
        if (!byPage.has(table)) expect(sum, table).toEqual(firstSums[table]);
      }
      // They were paged (else this test proves nothing), and there is one EYFS result per reception child.
      expect([...byPage].some((t) => sums[t].md5 !== firstSums[t].md5)).toBe(true);
      expect(sums.EyfsResult.rows).toBe(firstSums.EyfsResult.rows);
      expect(sums.EyfsResult.rows).toBeGreaterThan(0);
    } finally {
      seedPaging.peoplePerPage = pageSize;
    }
  }, 120_000);
});
