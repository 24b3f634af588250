// The role x field matrix: every field of the schema (Query and Mutation included) is declared allowed or
// denied for each role, core's in field-access.ts and each plugin's in its services/<slug>/access.ts, and
// reached here by a generated query on the demo data, run as each role; the outcome must be the declared
// one. A field without a declaration fails, and the failure prints a declaration to paste, in the file of
// whoever adds the field, after review. The schema is that of the enabled plugins (CYPE_SERVICES, or all),
// checked against core's and their declarations.
//
// The documents run on the schema itself (graphql `execute` with each role's request context), where
// @pothos/plugin-scope-auth enforces access: partners included. Over HTTP a partner runs only persisted
// operations (partner.test.ts), which can only narrow what the schema lets it read; so the matrix checks the
// schema for PARTNER like any role, and checks below that no partner operation selects a field the
// declaration denies to partners.
import { type GraphQLObjectType, getNamedType, isObjectType, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { createContext } from '../../src/context.js';
import { writeAudit } from '../../src/core/access/audit.js';
import { loadPartnerOperations } from '../../src/core/access/operations.js';
import { RECORD_LEVEL } from '../../src/core/access/scopes.js';
import type { Viewer } from '../../src/core/access/viewer.js';
import { importFormats } from '../../src/core/ingest/registry.js';
import type { Database } from '../../src/db.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase } from '../harness.js';
import { type Access, CORE_DECLARATION, CORE_FIELD_ACCESS, fieldAccess, pluginDeclaration } from './field-access.js';
import { type Matrix, matrix, nullableCopy, type Outcome, type Pools, run, type Walk, walk } from './matrix.js';

const KENT = 'E10000016';
const services = enabledServices();
/**
 * A small demo (1% of Kent with every service; seeds in seconds): the matrix needs an object of every type,
 * not statistics. With fewer services, as much seeding, so partners still get figures above suppression.
 */
const SCALE = (0.01 * allServices.length) / services.length;
const schema = buildSchema(services);
const copy = nullableCopy(schema);
const slugs = services.map((s) => s.slug);
/** Core's declaration and the enabled plugins'. */
const { access: FIELD_ACCESS } = fieldAccess(services);

/** The roles the matrix runs as: a service analyst per service, so each is seen with and without its own. */
const subjects: { label: string; viewer: Viewer }[] = [
  { label: 'DIRECTORATE_ANALYST', viewer: { role: 'DIRECTORATE_ANALYST', services: [], name: 'matrix' } },
  ...slugs.map((slug) => ({
    label: `SERVICE_ANALYST[${slug}]`,
    viewer: { role: 'SERVICE_ANALYST' as const, services: [slug], name: 'matrix' },
  })),
  { label: 'PARTNER', viewer: { role: 'PARTNER', services: [], name: 'matrix', operations: [] } },
  { label: 'PUBLIC', viewer: { role: 'PUBLIC', services: [], name: 'matrix' } },
];

/** May this viewer read a field declared `access`? (The declaration's meaning, independent of src/.) */
function allows(access: Access, viewer: Viewer): boolean {
  if (access === 'everyone') return true;
  if (viewer.role === 'DIRECTORATE_ANALYST') return true;
  if (access === 'analysts') return viewer.role === 'SERVICE_ANALYST';
  if (access === 'directorate') return false;
  return viewer.role === 'SERVICE_ANALYST' && viewer.services.includes(access.records);
}

/** Every `Type.field` of the schema's object types. */
function schemaFields(of = schema): string[] {
  return Object.values(of.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.keys((t as { getFields(): object }).getFields()).map((f) => `${t.name}.${f}`))
    .sort();
}

const declared = (name: string): Access | undefined => {
  const [type, field] = name.split('.');
  return FIELD_ACCESS[type]?.[field];
};

const accessName = (a: Access) => (typeof a === 'string' ? a : `records:${a.records}`);

/** A declaration to paste: by type, fields grouped by the access the roles were observed to have. */
function suggestion(names: string[], observed: Map<string, Map<string, Outcome>>): string {
  const kinds: Access[] = ['everyone', 'analysts', 'directorate', ...slugs.map((records) => ({ records }))];
  const byType = new Map<string, Map<string, string[]>>();
  for (const name of names) {
    const [type, field] = name.split('.');
    const matches = kinds.find((k) =>
      subjects.every((s) => {
        const o = observed.get(s.label)?.get(name);
        return o === (allows(k, s.viewer) ? 'allowed' : 'denied');
      }),
    );
    const recordLevel = (schema.getType(type)?.extensions as Record<string, unknown> | undefined)?.[RECORD_LEVEL];
    const access: Access = matches ?? (typeof recordLevel === 'string' ? { records: recordLevel } : 'everyone');
    const key =
      (matches ? '' : '/* not observed (see the other failures): */ ') +
      (typeof access === 'string' ? `${access}('` : `records('${access.records}', '`);
    const group = byType.get(type) ?? new Map<string, string[]>();
    group.set(key, [...(group.get(key) ?? []), field]);
    byType.set(type, group);
  }
  // Pasted where the field comes from: core's declaration, or the plugin's that adds it (a field the core
  // schema lacks and a plugin's schema alone has).
  const coreFields = new Set(schemaFields(buildSchema([])));
  const pluginFields = new Map(services.map((p) => [p, new Set(schemaFields(buildSchema([p])))]));
  const byFile = new Map<string, string[]>();
  for (const [type, groups] of byType) {
    const name = `${type}.${[...groups.values()][0][0]}`;
    const plugin = coreFields.has(name) ? undefined : services.find((p) => pluginFields.get(p)?.has(name));
    const file = plugin
      ? `${pluginDeclaration(plugin.slug)} (its fieldAccess)`
      : `${CORE_DECLARATION} (CORE_FIELD_ACCESS)`;
    const parts = [...groups].map(([key, fields]) => `${key}${fields.join(' ')}')`);
    const inType = Object.keys((plugin ? plugin.fieldAccess : CORE_FIELD_ACCESS)?.[type] ?? {}).length > 0;
    byFile.set(file, [
      ...(byFile.get(file) ?? []),
      inType
        ? `  // add to ${type}: ${parts.map((p) => `...${p}`).join(', ')}`
        : `  ${type}: ${parts.length === 1 ? parts[0] : `{ ${parts.map((p) => `...${p}`).join(', ')} }`},`,
    ]);
  }
  return [...byFile].map(([file, lines]) => `In ${file}:\n${lines.join('\n')}`).join('\n');
}

/**
 * The enabled indicators, those that give every part of a value first: proportions (intervals, gaps) with
 * a target, so the walk reaches Target, Gap and Interval with whichever services are enabled.
 */
async function indicatorsWithFiguresFirst(): Promise<string[]> {
  const targeted = new Set(
    (await db.prisma.target.findMany({ distinct: ['indicatorCode'], select: { indicatorCode: true } })).map(
      (t) => t.indicatorCode,
    ),
  );
  const rank = (i: { code: string; unit: string }) => Number(!targeted.has(i.code)) + Number(i.unit !== 'PERCENT');
  return services
    .flatMap((s) => s.indicators)
    .map((i, n) => ({ code: i.code, rank: rank(i), n }))
    .sort((a, b) => a.rank - b.rank || a.n - b.n)
    .map((i) => i.code);
}

let db: Database;
let w: Walk;
let m: Matrix;
/** Outcome of every field, by subject label. */
const observed = new Map<string, Map<string, Outcome>>();

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db, services, SCALE);
  // One audit entry naming every service, so every analyst's auditLog has a row to read.
  await writeAudit(db, {
    viewer: subjects[0].viewer,
    operationName: 'Matrix',
    documentHash: '0'.repeat(64),
    variables: {},
    count: { records: { Matrix: 1 }, total: 1, services: slugs },
  });
  const periods = await db.prisma.period.findMany({ orderBy: { startDate: 'desc' } });
  // The demo's busiest years first (the periods containing March 2017), then the rest, newest first, every
  // period type in turn so each appears early.
  const byType = new Map<string, string[]>();
  const march2017 = new Date('2017-03-15T00:00:00Z');
  for (const p of [...periods].sort(
    (a, b) =>
      Number(b.startDate <= march2017 && march2017 <= b.endDate) -
      Number(a.startDate <= march2017 && march2017 <= a.endDate),
  )) {
    byType.set(p.type, [...(byType.get(p.type) ?? []), p.code]);
  }
  // A target when the enabled services' demo sets none (SEND's sets none), so core's Target has one to read.
  const first = services.flatMap((s) => s.indicators)[0];
  const targetPeriod = first && byType.get(first.periodType)?.[0];
  if (targetPeriod && (await db.prisma.target.count()) === 0) {
    await db.prisma.target.create({
      data: { indicatorCode: first.code, areaCode: KENT, periodCode: targetPeriod, kind: 'TARGET', value: 50 },
    });
  }
  const lists = [...byType.values()];
  const ordered = Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) =>
    lists.map((l) => l[i]),
  ).flat();
  const person = await db.prisma.personCharacteristic.findFirstOrThrow({ orderBy: { personId: 'asc' } });
  const file = (csv: string) => new File([csv], 'matrix.csv', { type: 'text/csv' });
  const characteristics = (id: string, year: string) =>
    file(`person_id,time_period,time_identifier,fsm,sen_status,in_care,eal\n${id},${year},Academic year,N,NONE,N,N\n`);
  const pools: Pools = {
    areas: [KENT, ...(await db.prisma.area.findMany({ where: { parentCode: KENT }, take: 1 })).map((a) => a.code)],
    periods: ordered.filter((p): p is string => Boolean(p)),
    indicators: await indicatorsWithFiguresFirst(),
    cohorts: services.flatMap((s) => s.cohorts.map((c) => c.key)),
    importFormats: importFormats(services).map((f) => f.name),
    services: slugs,
    argumentSets: {
      // A dry run (nothing written) of a valid file that would create a period: the report has every part.
      'Mutation.importFile': [
        { format: 'core/characteristics', dryRun: true, file: characteristics(person.personId, '203031') },
      ],
    },
    paths: {
      // The same dry run of a file with an error in it: the report lists it.
      ImportRowError: {
        operation: 'mutation',
        path: [
          {
            field: 'importFile',
            args: { format: 'core/characteristics', dryRun: true, file: characteristics('', 'x') },
          },
          { field: 'errors', args: {} },
        ],
      },
    },
  };
  w = await walk(copy, createContext({ db, services, viewer: subjects[0].viewer }), pools);
  m = matrix(copy, w);
  for (const s of subjects) {
    const results = [];
    for (const doc of m.documents) {
      results.push(await run(copy, doc, createContext({ db, services, viewer: s.viewer })));
    }
    observed.set(s.label, m.classify(results));
  }
}, 300_000);

afterAll(async () => {
  await db?.close();
});

describe('the role x field matrix', () => {
  it('declares every field of the schema, and nothing the schema lacks', () => {
    const fields = schemaFields();
    const undeclared = fields.filter((f) => !declared(f));
    const stale = Object.entries(FIELD_ACCESS)
      .flatMap(([type, fs]) => Object.keys(fs).map((f) => `${type}.${f}`))
      .filter((f) => !fields.includes(f));
    const message = [
      undeclared.length
        ? `Fields without a declaration. Decide who may read each (DESIGN.md “Access and disclosure”: record-level and person-level fields are records('<service>', …)) and paste into the declaration of whoever adds it, core's or the plugin's:\n${suggestion(undeclared, observed)}\n(grouped by the access each role was observed to have; review before pasting)`
        : '',
      stale.length ? `Declarations of fields the schema does not have (remove them): ${stale.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    expect({ undeclared, stale }, message).toEqual({ undeclared: [], stale: [] });
  });

  it('reaches every type and field on the demo data, with arguments that resolve', () => {
    expect(w.problems, w.problems.join('\n')).toEqual([]);
    expect(w.reaches.size).toBe(
      Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__')).length,
    );
  });

  it('gives each role exactly the declared access to each field', () => {
    const wrong: string[] = [];
    let allowed = 0;
    let denied = 0;
    for (const s of subjects) {
      const outcomes = observed.get(s.label) as Map<string, Outcome>;
      for (const name of schemaFields()) {
        const access = declared(name);
        if (!access) continue; // reported by the first test
        const expected = allows(access, s.viewer) ? 'allowed' : 'denied';
        const got = outcomes.get(name) ?? 'not run (no arguments found)';
        if (got === expected) {
          if (expected === 'allowed') allowed++;
          else denied++;
        } else {
          wrong.push(
            `${name} (${accessName(access)}) as ${s.label}: expected ${expected}, got ${typeof got === 'string' ? got : `error "${got.error}"`}`,
          );
        }
      }
    }
    expect(wrong, `Fields whose access is not the declared one:\n${wrong.join('\n')}`).toEqual([]);
    // Both outcomes occur for every role but the directorate analyst, who reads everything.
    for (const s of subjects) {
      const outcomes = [...(observed.get(s.label) as Map<string, Outcome>).values()];
      const deniedHere = outcomes.filter((o) => o === 'denied').length;
      expect(outcomes.filter((o) => o === 'allowed').length, s.label).toBeGreaterThan(0);
      if (s.label === 'DIRECTORATE_ANALYST') expect(deniedHere, s.label).toBe(0);
      else expect(deniedHere, s.label).toBeGreaterThan(0);
    }
    expect(allowed).toBeGreaterThan(schemaFields().length * 2);
    // With every service, each service's analyst is denied the others' records: more denials than fields.
    if (services.length === allServices.length) expect(denied).toBeGreaterThan(schemaFields().length);
  });

  it('has no partner operation select a field the declaration denies to partners', () => {
    const partner = subjects.find((s) => s.label === 'PARTNER')?.viewer as Viewer;
    const ops = loadPartnerOperations(services);
    expect(ops.length).toBeGreaterThan(0);
    const denied: string[] = [];
    for (const op of ops) {
      const info = new TypeInfo(schema);
      visit(
        op.document,
        visitWithTypeInfo(info, {
          Field(node) {
            const parent = info.getParentType();
            if (!parent || node.name.value.startsWith('__')) return;
            const access = declared(`${parent.name}.${node.name.value}`);
            if (!access || !allows(access, partner)) denied.push(`${op.name}: ${parent.name}.${node.name.value}`);
          },
        }),
      );
    }
    expect(denied, denied.join('\n')).toEqual([]);
  });

  it('never declares a person identifier readable beyond analysts', () => {
    const open = schemaFields().filter((name) => {
      const [type, field] = name.split('.');
      const f = (schema.getType(type) as GraphQLObjectType).getFields()[field];
      const personLevel = /personId$|^person$|^people$/i.test(field) || getNamedType(f.type).name === 'Person';
      const access = declared(name);
      return personLevel && access && (access === 'everyone' || access === 'analysts');
    });
    expect(open).toEqual([]);
  });
});
