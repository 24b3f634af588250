// Demo data on first start: core geography, periods and people, then each enabled plugin's seed, in one
// transaction, recorded as an Import row (`demo/seed`) so a second start finds it and does nothing.
import { createHash } from 'node:crypto';
import { seedGeography, seedPeople } from './core/demo-population.js';
import type { ServicePlugin } from './core/plugin.js';
import { materialiseFacts } from './core/reporting/snapshots.js';
import { createRng } from './core/rng.js';
import type { Database } from './db.js';

/** The demo is 6% of a Kent-sized directorate (about 18,000 children): quick to seed, big enough for gaps. */
export const DEMO_SCALE = 0.06;
export const DEMO_SEED = 20161718;
const SEED_FORMAT = 'demo/seed';

export async function isSeeded(db: Database): Promise<boolean> {
  return (await db.prisma.import.count({ where: { format: SEED_FORMAT, status: 'SUCCEEDED' } })) > 0;
}

/** Seeds the demo when the store has never been seeded. Returns true when it seeded. */
export async function seedDemoIfEmpty(
  db: Database,
  services: ServicePlugin[],
  log: (m: string) => void = () => {},
  scale = DEMO_SCALE,
): Promise<boolean> {
  if (await isSeeded(db)) return false;
  log(`Seeding deterministic demo data (scale ${scale}) into ${db.where}…`);
  await seedDemo(db, services, scale);
  return true;
}

export async function seedDemo(db: Database, services: ServicePlugin[], scale = DEMO_SCALE) {
  const startedAt = new Date();
  const rng = createRng(DEMO_SEED);
  const counts = await db.prisma.$transaction(
    async (tx) => {
      await seedGeography(tx);
      const counts = await seedPeople(tx, rng, scale);
      // Plugins seed after the shared store exists; each is deterministic from its own stream.
      for (const service of services) {
        await service.seed?.(tx, createRng(DEMO_SEED + hash(service.slug)), scale);
      }
      return counts;
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
  await db.prisma.import.create({
    data: {
      format: SEED_FORMAT,
      fileName: `(generated, scale ${scale}, services ${services.map((s) => s.slug).join(',') || 'none'})`,
      sha256: createHash('sha256').update(`${DEMO_SEED}:${scale}`).digest('hex'),
      rows: counts.people + counts.characteristics,
      inserted: counts.people + counts.characteristics,
      status: 'SUCCEEDED',
      ranBy: 'cype seed',
      startedAt,
      finishedAt: new Date(),
    },
  });
  // Materialise every indicator's facts, so the first requests read them instead of computing them
  // (cached results need nothing: the seed's writes raised the counters they are keyed by).
  await materialiseFacts(db, services);
  return counts;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
