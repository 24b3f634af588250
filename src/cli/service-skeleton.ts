// The files `cype new-service <slug>` writes: a working service plugin built the way the existing ones are
// (services/README.md). One table of episodes keyed to Person, its import format, one indicator (the share
// of people with an episode in the academic year whose outcome was met), one cohort, a demo seed, the
// plugin's field access and partner operation, and a test that checks the figure against a hand count.
// Every name is derived from the slug, so the skeleton compiles and its test passes as written.

/** The names of a new service, derived from its slug (`library-visits`). */
export interface ServiceNames {
  /** Folder name and CYPE_SERVICES entry: `library-visits`. */
  slug: string;
  /** Plugin key, GraphQL field on Area and Query, cohort key prefix: `libraryVisits`. */
  key: string;
  /** Type-name prefix: `LibraryVisits`. */
  pascal: string;
  /** Indicator code prefix: `LIBRARY_VISITS`. */
  code: string;
  /** Human title: `Library visits`. */
  title: string;
}

export const SLUG_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function serviceNames(slug: string): ServiceNames {
  if (!SLUG_PATTERN.test(slug)) {
    throw new Error(
      `"${slug}" is not a service slug: lower-case letters and digits in words joined by single hyphens, starting with a letter (e.g. library-visits)`,
    );
  }
  const words = slug.split('-');
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  return {
    slug,
    key: words[0] + words.slice(1).map(cap).join(''),
    pascal: words.map(cap).join(''),
    code: words.map((w) => w.toUpperCase()).join('_'),
    title: cap(words.join(' ')),
  };
}

/** Import lines of sibling modules in the order the formatter (Biome) keeps them: by module path. */
function sortedImports(lines: string[]): string {
  const from = (line: string) => /from '([^']+)'/.exec(line)?.[1] ?? '';
  return [...lines].sort((a, b) => (from(a) < from(b) ? -1 : from(a) > from(b) ? 1 : 0)).join('\n');
}

/** The skeleton's files, by path relative to the repository root. */
export function serviceSkeleton(n: ServiceNames): Record<string, string> {
  const { slug, key, pascal, code, title } = n;
  const model = `${pascal}Episode`;
  const indicator = `${code}_OUTCOME_MET`;
  const dir = `services/${slug}`;
  return {
    [`prisma/schema/${slug}.prisma`]: `// ${title}: episodes of the service's work with a child or young person. Keys are the service's own
// case system's episode ids (imports upsert on them). The back-relation on Person is generated
// (src/prisma-schema.ts): this file is all the service adds to the store.

/// An episode of ${title}'s work with a child or young person.
model ${model} {
  /// The service's own episode identifier.
  id         String   @id
  personId   String
  person     Person   @relation(fields: [personId], references: [id], onDelete: Cascade)
  /// Date the episode started.
  startedOn  DateTime @db.Date
  /// Whether the episode's agreed outcome was met.
  outcomeMet Boolean

  @@index([startedOn, personId])
}
`,

    [`${dir}/plugin.ts`]: `// The ${slug} service plugin: episodes of work with children and young people, the share whose outcome was
// met, a cohort of those people, an import format, its Area figures, demo seed, access and operations.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { ${key}Access } from './access.js';
import { ${key}Cohorts } from './cohorts.js';
import { ${key}Formats } from './import.js';
${sortedImports([
  `import { ${key}Indicators } from './indicators.js';`,
  `import { seed${pascal} } from './seed.js';`,
  `import { register${pascal}Area } from './${slug}-area.js';`,
])}

export const ${key}: ServicePlugin = {
  key: '${key}',
  slug: '${slug}',
  title: '${title}',
  register(builder) {
    register${pascal}Area(builder);
  },
  indicators: ${key}Indicators,
  cohorts: ${key}Cohorts,
  importers: ${key}Formats,
  fieldAccess: ${key}Access,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: seed${pascal},
};
`,

    [`${dir}/tables.ts`]: `// The ${title} table, declared once: its columns as the import (import.ts, upsert on the id) and the
// demo seed (seed.ts, insert) write them.
import { declareTable } from '../../src/core/bulk.js';

/** One episode, as the import reads it and the seed draws it. */
export interface EpisodeRecord {
  id: string;
  personId: string;
  startedOn: Date;
  outcomeMet: boolean;
}

export const EPISODE_TABLE = declareTable<EpisodeRecord>('${model}', ['id'], {
  id: 'text',
  personId: 'text',
  startedOn: 'date',
  outcomeMet: 'boolean',
});
`,

    [`${dir}/import.ts`]: `// ${title} CSV format: one row per episode. The framework (src/core/ingest) parses, reports errors by line
// and column, checks that people exist and runs one transaction; this says what a valid row is.
import { z } from 'zod';
import { BOOLEAN_TYPE, boolean, DATE_TYPE, isoDate, text } from '../../src/core/ingest/fields.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import { tableWriter } from '../../src/core/ingest/upsert.js';
import { EPISODE_TABLE, type EpisodeRecord } from './tables.js';

export const episodesFormat: ImportFormat<EpisodeRecord> = {
  name: '${slug}/episodes',
  description:
    '${title} episodes, one row per episode: who, when it started and whether its outcome was met. Re-importing updates by episode_id.',
  columns: [
    { name: 'episode_id', type: 'text', required: true, description: 'The service’s own episode identifier.' },
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'started_on', type: DATE_TYPE, required: true, description: 'Date the episode started.' },
    { name: 'outcome_met', type: BOOLEAN_TYPE, required: true, description: 'Whether the agreed outcome was met.' },
  ],
  example: { episode_id: 'E0001', person_id: 'P0001234', started_on: '2016-10-03', outcome_met: 'true' },
  row: z
    .object({
      episode_id: text('an episode id'),
      person_id: text('a person id'),
      started_on: isoDate(),
      outcome_met: boolean(),
    })
    .transform((r) => ({
      id: r.episode_id,
      personId: r.person_id,
      startedOn: r.started_on,
      outcomeMet: r.outcome_met,
    })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => r.id,
  keyColumns: ['episode_id'],
  write: tableWriter(EPISODE_TABLE),
  tables: ['${model}'],
};

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const ${key}Formats: ImportFormat<any>[] = [episodesFormat];
`,

    [`${dir}/indicators.ts`]: `// ${title} indicators, as facts SQL for the reporting engine: one row per counted person, in their home
// district. State here, and in each description, the definition and the publication it mirrors.
import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';

/** One row per person with an episode starting in the period: person_id, district_code, met (any episode). */
export function episodePeopleSql(period: PeriodInfo): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql\`
    SELECT e."personId" AS person_id, p."districtCode" AS district_code, bool_or(e."outcomeMet") AS met
    FROM "${model}" e JOIN "Person" p ON p.id = e."personId"
    WHERE e."startedOn" BETWEEN \${start} AND \${end}
    GROUP BY e."personId", p."districtCode"\`;
}

export const ${indicator}: IndicatorDefinition = {
  code: '${indicator}',
  name: '${title}: outcome met',
  description:
    'Percentage of children and young people with a ${title.toLowerCase()} episode starting in the academic year whose agreed outcome was met in at least one of them (numerator), of all with an episode starting in the year (denominator), in their home district. The service’s own measure; no national publication.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['${model}'],
  facts: (period) => Prisma.sql\`
    SELECT e.person_id, e.district_code, (CASE WHEN e.met THEN 1 ELSE 0 END)::numeric AS numerator,
      1::numeric AS denominator
    FROM (\${episodePeopleSql(period)}) e\`,
};

export const ${key}Indicators: IndicatorDefinition[] = [${indicator}];
`,

    [`${dir}/cohorts.ts`]: `// ${title} cohorts for cross-service analysis ("of these young people, how many had an EHC plan?").
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { episodePeopleSql } from './indicators.js';

export const outcomeMet: CohortDefinition = {
  key: '${key}.outcomeMet',
  title: 'Children and young people with a ${title.toLowerCase()} episode starting in the period whose outcome was met',
  periodType: 'ACADEMIC_YEAR',
  tables: ['${model}'],
  members: (period) => Prisma.sql\`SELECT e.person_id FROM (\${episodePeopleSql(period)}) e WHERE e.met\`,
};

export const ${key}Cohorts: CohortDefinition[] = [outcomeMet];
`,

    [`${dir}/${slug}-area.ts`]: `// GraphQL: Area.${key}, the service's headline figures for an area (a local authority or a district), each
// an IndicatorValue from the reporting engine (targets, RAG, trends, benchmarks, breakdowns, disclosure).
import type { Builder } from '../../src/builder.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';

const HEADLINES: Headline[] = [
  {
    field: 'outcomeMet',
    indicatorCode: '${indicator}',
    description:
      'Percentage of children and young people with an episode starting in the academic year whose agreed outcome was met.',
  },
];

export function register${pascal}Area(builder: Builder) {
  const ${pascal}Area = builder.objectRef<{ areaCode: string }>('${pascal}Area').implement({
    description: '${title} in one area (a local authority or a district): headline figures by academic year.',
    fields: (t) => headlineFields(t, HEADLINES, 'Academic year, e.g. \`2016/2017|AY\`.'),
  });

  builder.prismaObjectField('Area', '${key}', (t) =>
    t.field({
      type: ${pascal}Area,
      description: '${title} in this area: the share of episodes whose outcome was met.',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
`,

    [`${dir}/seed.ts`]: `// Deterministic ${title} demo data for the seeded people: about one in twenty children aged 5 to 15 has
// an episode each academic year, two in three of them with their outcome met. All records are synthetic.
import { insertTable } from '../../src/core/bulk.js';
import { utc } from '../../src/core/dates.js';
import { FIRST_YEAR, LAST_YEAR, peoplePages } from '../../src/core/demo-population.js';
import type { Rng } from '../../src/core/plugin.js';
import type { Tx } from '../../src/db.js';
import { EPISODE_TABLE, type EpisodeRecord } from './tables.js';

export async function seed${pascal}(tx: Tx, rng: Rng, _scale: number): Promise<void> {
  let n = 0;
  for await (const page of peoplePages(tx, { characteristics: false })) {
    const rows: EpisodeRecord[] = [];
    for (const person of page) {
      for (let year = FIRST_YEAR; year < LAST_YEAR; year++) {
        const age = year - person.birthMonth.getUTCFullYear();
        if (age < 5 || age > 15 || !rng.chance(0.05)) continue;
        rows.push({
          id: \`${code}-\${String(++n).padStart(7, '0')}\`,
          personId: person.id,
          startedOn: utc(year, 9 + rng.int(0, 9), 1 + rng.int(0, 27)),
          outcomeMet: rng.chance(2 / 3),
        });
      }
    }
    await insertTable(tx, EPISODE_TABLE, rows);
  }
}
`,

    [`${dir}/access.ts`]: `// Who may read each field ${title} adds (src/core/access/field-access.ts): its types, and its field on
// Area. Checked against the schema by test/access/matrix.test.ts; nothing in src/ reads it.
import { everyone, type FieldAccess } from '../../src/core/access/field-access.js';

export const ${key}Access: FieldAccess = {
  Area: everyone('${key}'),
  ${pascal}Area: everyone('outcomeMet'),
};
`,

    [`${dir}/operations/partners/${slug}-headlines.graphql`]: `# ${title} headline figures for a local authority (or a district) and each of its districts, under disclosure control: the share of episodes whose outcome was met, by academic year.
# services: ${slug}
query Partner${pascal}Headlines($area: String! = "E10000016", $period: String! = "2016/2017|AY") {
  area(code: $area) {
    code
    name
    ${key} {
      outcomeMet(period: $period) {
        value {
          value
          formatted
          symbol
        }
        status
      }
    }
    children {
      code
      name
      ${key} {
        outcomeMet(period: $period) {
          value {
            value
            formatted
            symbol
          }
        }
      }
    }
  }
}
`,

    [`${dir}/operations/examples/${slug}-by-district.graphql`]: `# ${title}: the share of episodes whose outcome was met in Kent and each district, 2016/17.
query ${pascal}ByDistrict {
  area(code: "E10000016") {
    name
    ${key} {
      outcomeMet(period: "2016/2017|AY") {
        value {
          formatted
        }
      }
    }
    children {
      name
      ${key} {
        outcomeMet(period: "2016/2017|AY") {
          value {
            formatted
          }
        }
      }
    }
  }
}
`,

    [`${dir}/${slug}.test.ts`]: `// ${title} on a fixture small enough to check by hand: the import (stored as written, then unchanged on a
// second run), the outcome-met figure for Kent and two districts against a count of the fixture rows, the
// cohort's size, and a valid schema with this plugin alone.
import { Readable } from 'node:stream';
import { validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utc } from '../../src/core/dates.js';
import { KENT } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { runImport } from '../../src/core/ingest/index.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import { buildSchema } from '../../src/schema.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { episodesFormat } from './import.js';
import { ${key} } from './plugin.js';

const MAIDSTONE = 'E07000110';
const ASHFORD = 'E07000105';
const PERIOD = '2016/2017|AY';
const PEOPLE: [string, string][] = [
  ['S1', MAIDSTONE],
  ['S2', MAIDSTONE],
  ['S3', MAIDSTONE],
  ['S4', ASHFORD],
  ['S5', ASHFORD],
];
/** [episode, person, started, outcome met] */
const EPISODES: [string, string, string, boolean][] = [
  ['E1', 'S1', '2016-09-01', true],
  ['E2', 'S1', '2017-01-10', false], // the same person: counted once, met
  ['E3', 'S2', '2017-08-31', false],
  ['E4', 'S3', '2016-08-31', true], // the year before
  ['E5', 'S4', '2016-10-05', true],
  ['E6', 'S5', '2017-03-01', true],
];

/** The expected share, counted from the fixture rows. */
function expected(area: string): { numerator: number; denominator: number } {
  const inYear = EPISODES.filter(([, , on]) => on >= '2016-09-01' && on <= '2017-08-31');
  const people = [...new Set(inYear.map(([, pid]) => pid))].filter(
    (pid) => area === KENT || PEOPLE.find(([id]) => id === pid)?.[1] === area,
  );
  const met = people.filter((pid) => inYear.some(([, p, , ok]) => p === pid && ok));
  return { numerator: met.length, denominator: people.length };
}

const csv = ['episode_id,person_id,started_on,outcome_met', ...EPISODES.map((e) => e.join(','))].join('\\n');

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: PEOPLE.map(([id, districtCode]) => ({
        id,
        birthMonth: utc(2008, 1),
        sex: 'FEMALE' as const,
        ethnicityMajor: 'WHITE' as const,
        districtCode,
      })),
    });
    await syncIndicatorCatalogue(tx, [${key}]);
  });
  app = testApp(db, { services: [${key}] });
});
afterAll(() => app.db.close());

const run = () =>
  runImport({
    db: app.db,
    format: episodesFormat,
    input: Readable.from([csv]),
    fileName: 'episodes.csv',
    ranBy: 'vitest',
  });

describe('${slug}', () => {
  it('imports the episodes, and the same file again changes nothing', async () => {
    const first = await run();
    expect([first.status, first.inserted, first.errors]).toEqual(['SUCCEEDED', EPISODES.length, []]);
    const again = await run();
    const counts = [again.status, again.inserted, again.updated, again.unchanged];
    expect(counts).toEqual(['SUCCEEDED', 0, 0, EPISODES.length]);
  });

  it('counts the share of people whose outcome was met, by home district', async () => {
    for (const area of [KENT, MAIDSTONE, ASHFORD]) {
      const r = await app.gql<{ area: { ${key}: { outcomeMet: Record<string, { value: number }> } } }>(
        \`{ area(code: "\${area}") { ${key} { outcomeMet(period: "\${PERIOD}") { value { value } numerator { value } denominator { value } } } } }\`,
      );
      expect(r.errors).toBeUndefined();
      const { numerator, denominator } = expected(area);
      const got = r.data?.area.${key}.outcomeMet;
      expect([got?.numerator.value, got?.denominator.value]).toEqual([numerator, denominator]);
      expect(got?.value.value).toBeCloseTo((100 * numerator) / denominator, 6);
    }
  });

  it('has a cohort of the people whose outcome was met', async () => {
    const r = await app.gql<{ cohort: { size: { value: number } } }>(
      \`{ cohort(key: "${key}.outcomeMet", area: "\${KENT}", period: "\${PERIOD}") { size { value } } }\`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.cohort.size.value).toBe(expected(KENT).numerator);
  });

  it('builds a valid schema with this plugin alone', () => {
    expect(validateSchema(buildSchema([${key}]))).toEqual([]);
  });
});
`,
  };
}
