// Disproportionality's population aged 10 to 17 is stored and cached like every figure (issue #15, finding
// 5: it was computed from scratch on every request, about 4 s of database time for eight periods at Kent
// scale, and ten requests at once exhausted the pool). Through storedFacts (src/core/reporting/snapshots.ts):
// the first request computes it once and stores it; later requests of the same process are answered by the
// result cache, other processes read the stored row; a write to Person makes both stale, and the next
// request computes the new figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POPULATION_10_17 } from '../../services/youth-justice/disproportionality.js';
import { youthJustice } from '../../services/youth-justice/plugin.js';
import { type App, createApp } from '../../src/app.js';
import { ANALYST } from '../../src/context.js';
import { peopleFormat } from '../../src/core/ingest/formats/people.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase, recorded } from '../harness.js';
import { pilotSql } from '../pilot/plugin.js';
import { D1, D2, importCsv, loadFixture } from './fixture.js';

const FY16 = '2016/2017|FY';
const KENT = 'E10000016';

let db: Database;
const apps: App[] = [];
beforeAll(async () => {
  db = await createTestDatabase([pilotSql()]);
  await loadFixture(db); // twelve people born in 2010: none aged 10 to 17 on 1 April 2016
  await addPeople(['Y01', '2002-06', D1], ['Y02', '2004-01', D1], ['Y03', '2001-09', D2]);
});
afterAll(async () => {
  for (const a of apps) await a.dispose();
  await db?.close();
});

async function addPeople(...rows: [id: string, birth: string, district: string][]) {
  const lines = rows.map(([id, birth, district]) => `${id},${birth},F,WHITE,${district}`);
  await importCsv(db, peopleFormat, ['person_id,birth_month,sex,ethnicity_major,district_code', ...lines].join('\n'));
}

/** An API process: an app with its own result cache, youth justice enabled, memory only. */
function processCache(): App {
  const app = createApp({
    db,
    services: [youthJustice],
    defaultViewer: ANALYST,
    cache: { redisUrl: null },
    access: { redisUrl: null, jwt: false },
  });
  apps.push(app);
  return app;
}

const QUERY = `{ youthJustice { disproportionality(cohort: FIRST_TIME_ENTRANTS, dimension: IN_CARE,
  period: "${FY16}", area: "${KENT}") { population { value } } } }`;

/** One request for Kent's disproportionality: its population, and the population statements it ran. */
async function request(app: App) {
  let kent: number | null | undefined;
  const statements = await recorded(db, async () => {
    const res = await app.fetch(
      new Request('http://cype.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: QUERY }),
      }),
    );
    const r = (await res.json()) as {
      data?: { youthJustice: { disproportionality: { population: { value: number | null } } } };
      errors?: unknown[];
    };
    expect(r.errors).toBeUndefined();
    kent = r.data?.youthJustice.disproportionality.population.value;
  });
  // The population's grouped statement is the one selecting people by age.
  const computed = statements.filter((s) => s.includes('WITH facts AS') && s.includes("INTERVAL '10 years'")).length;
  return { kent, computed, statements };
}

describe('the population of disproportionality', () => {
  it('is computed once, then answered from the cache in this process and from its stored row in another', async () => {
    const one = processCache();
    const first = await request(one);
    expect(first).toMatchObject({ kent: 3, computed: 1 });
    const row = await db.prisma.factsSnapshot.findUnique({
      where: { indicatorCode_periodCode: { indicatorCode: POPULATION_10_17.code, periodCode: FY16 } },
    });
    expect(row).not.toBeNull();

    const again = await request(one);
    expect(again).toMatchObject({ kent: 3, computed: 0 });

    const other = await request(processCache());
    expect(other).toMatchObject({ kent: 3, computed: 0 });
    expect(other.statements.some((s) => s.includes('FactsSnapshot'))).toBe(true);
  });

  it('is computed again after a write to Person, in every process', async () => {
    const one = processCache();
    await request(one);
    await addPeople(['Y04', '2003-03', D2]);
    expect(await request(one)).toMatchObject({ kent: 4, computed: 1 });
    expect(await request(processCache())).toMatchObject({ kent: 4, computed: 0 });
  });
});
