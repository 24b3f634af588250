// The partner API on the demo data: partners run only their allow-listed persisted operations (core's in
// schema/operations/partners, each enabled plugin's in its operations/partners), never read a record-level
// type, and never receive a count from 1 to 4, in GraphQL or in the CSV export; and the audit log accounts
// for every record-level read.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { parseKey } from '../../src/core/access/keys.js';
import { CORE_OPERATIONS_DIR, loadPartnerOperations, type PartnerOperation } from '../../src/core/access/operations.js';
import { RECORD_LEVEL } from '../../src/core/access/scopes.js';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { createRng } from '../../src/core/rng.js';
import type { Database } from '../../src/db.js';
import { buildSchema } from '../../src/schema.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase } from '../harness.js';
import { type AccessTestApp, accessApp, makeKey, type Reply, UNLIMITED_RATE } from './helpers.js';

const KENT = 'E10000016';
let db: Database;
let app: AccessTestApp;
let schema: GraphQLSchema;
let partner: string;
let analyst: string;
const operations = loadPartnerOperations(allServices);
const byName = (name: string) => operations.find((o) => o.name === name) as PartnerOperation;
/**
 * Who declares each partner operation, `core` or a plugin's slug: the partners/ folder of core's operations
 * and of each plugin's `operations`, read here independently of the loader.
 */
const owner = new Map<string, string>();
const roots: [string | undefined, string][] = [
  [CORE_OPERATIONS_DIR, 'core'],
  ...allServices.map((s): [string | undefined, string] => [s.operations, s.slug]),
];
for (const [root, slug] of roots) {
  const dir = path.join(root ?? '', 'partners');
  if (!root || !fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    owner.set(f.replace(/\.graphql$/, ''), slug);
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db, allServices, 0.02); // a small directorate: quick to seed, and many small counts to hide
  app = accessApp(db, { services: allServices, access: { jwt: false, limits: UNLIMITED_RATE } });
  schema = buildSchema(allServices);
  partner = await makeKey(db, { role: 'PARTNER', name: 'partner (all services)' });
  analyst = await makeKey(db, { role: 'DIRECTORATE_ANALYST', name: 'analyst' });
});
afterAll(async () => {
  await app?.dispose();
  await db?.close();
});

const run = (op: PartnerOperation, variables: Record<string, unknown>, key = partner) =>
  app.post({ documentId: op.hash, variables }, key);

describe('partner operations', () => {
  it('exist, each with a services header, and select no record-level type or field', () => {
    // The two cross-service operations, and every service's headlines.
    expect(operations.map((o) => o.name).sort()).toEqual(
      ['cohort-overlap', 'indicator-breakdown', ...allServices.map((s) => `${s.slug}-headlines`)].sort(),
    );
    const marked = (t: { extensions?: Record<string, unknown> | null } | null | undefined) =>
      Boolean(t?.extensions?.[RECORD_LEVEL]);
    for (const op of operations) {
      const typeInfo = new TypeInfo(schema);
      const touched: string[] = [];
      visit(
        op.document,
        visitWithTypeInfo(typeInfo, {
          Field() {
            const field = typeInfo.getFieldDef();
            const parent = typeInfo.getParentType();
            expect(field, `${op.name}: a field the schema does not have`).toBeTruthy();
            const named = field ? (getNamedType(field.type) as GraphQLNamedType) : undefined;
            if (marked(field) || marked(named) || marked(parent)) touched.push(`${parent?.name}.${field?.name}`);
          },
        }),
      );
      expect(touched, op.name).toEqual([]);
    }
  });

  it('are core’s and every plugin’s declared ones, each reading core and its own service only', () => {
    expect(operations.map((o) => o.name)).toEqual([...owner.keys()].sort());
    // Every service has at least one partner operation of its own: its headlines.
    for (const s of allServices) expect(owner.get(`${s.slug}-headlines`), s.slug).toBe(s.slug);
    for (const op of operations) {
      const slug = owner.get(op.name) as string;
      // A plugin's operation names its own service, and only it.
      if (slug !== 'core') expect(op.services, op.name).toEqual([slug]);
      // Valid against core and its own plugin alone: it lives with what it reads.
      const own = buildSchema(allServices.filter((s) => s.slug === slug));
      expect(
        validate(own, parse(op.text)).map((e) => e.message),
        op.name,
      ).toEqual([]);
    }
  });

  it('of a disabled plugin are neither loaded nor served', async () => {
    for (const s of allServices) {
      expect(loadPartnerOperations([s]).map((o) => o.name)).toEqual(
        operations.filter((o) => owner.get(o.name) === 'core' || owner.get(o.name) === s.slug).map((o) => o.name),
      );
    }
    const sendOnly = accessApp(db, {
      services: allServices.filter((s) => s.slug === 'send'),
      access: { jwt: false, limits: UNLIMITED_RATE },
    });
    try {
      const served = await sendOnly.post(
        { documentId: byName('send-headlines').hash, variables: { period: '2016|CY' } },
        partner,
      );
      expect(served.status).toBe(200);
      expect(served.body.data.area.code).toBe(KENT);
      const disabled = await sendOnly.post({ documentId: byName('skills-headlines').hash, variables: {} }, partner);
      expect(disabled.status).toBe(400);
      expect(disabled.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_NOT_FOUND');
    } finally {
      await sendOnly.dispose();
    }
  });

  it('are the only documents a partner key runs: arbitrary ones are refused, even aggregate-only', async () => {
    for (const query of [
      '{ __typename }',
      '{ areas { code } }',
      '{ troubledFamilies { earlyHelpCases(first: 1) { nodes { personId } } } }',
      byName('send-headlines').text,
    ]) {
      const r = await app.post({ query }, partner);
      expect(r.status).toBe(403);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors[0].extensions.code).toBe('PERSISTED_OPERATIONS_ONLY');
      expect(r.body.errors[0].message).toMatch(/only its allow-listed operations.*documentId/);
    }
  });

  it('run by documentId or Apollo’s persistedQuery hash; an unknown hash is refused', async () => {
    const op = byName('send-headlines');
    const byId = await run(op, { area: KENT, period: '2016|CY' });
    expect(byId.status).toBe(200);
    expect(byId.body.data.area.code).toBe(KENT);
    const apq = await app.post(
      {
        variables: { area: KENT, period: '2016|CY' },
        extensions: { persistedQuery: { version: 1, sha256Hash: op.hash } },
      },
      partner,
    );
    expect(apq.body).toEqual(byId.body);
    const unknown = await app.post({ documentId: 'f'.repeat(64) }, partner);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_NOT_FOUND');
  });

  it('follow each key’s allow-list: its services, and its explicit list', async () => {
    const sendOnly = await makeKey(db, { role: 'PARTNER', services: ['send'] });
    const listed = await makeKey(db, { role: 'PARTNER', operations: ['indicator-breakdown'] });
    expect((await run(byName('send-headlines'), { period: '2016|CY' }, sendOnly)).status).toBe(200);
    for (const [key, op] of [
      [sendOnly, 'troubled-families-headlines'],
      [sendOnly, 'indicator-breakdown'], // reads every service: not for a partner limited to some
      [listed, 'send-headlines'],
    ] as const) {
      const r = await run(byName(op), {}, key);
      expect(r.status).toBe(403);
      expect(r.body.errors[0].extensions.code).toBe('OPERATION_NOT_ALLOWED');
      expect(r.body.errors[0].message).toContain(op);
    }
    const ok = await run(byName('indicator-breakdown'), { code: 'EY_GLD', period: '2016/2017|AY' }, listed);
    expect(ok.body.data.indicator.code).toBe('EY_GLD');
  });

  it('analysts may run them too, and as plain documents', async () => {
    const op = byName('send-headlines');
    const asPartner = await run(op, { area: KENT, period: '2016|CY' });
    const asAnalyst = await app.post({ query: op.text, variables: { area: KENT, period: '2016|CY' } }, analyst);
    expect(asAnalyst.status).toBe(200);
    expect(asAnalyst.body.data.area.name).toBe(asPartner.body.data.area.name);
  });
});

/** Every number in a response, with its path; percentages (a sibling `formatted` ending in %) marked. */
function numbers(value: unknown, path = '', out: { path: string; n: number; percent: boolean }[] = []) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      numbers(v, `${path}[${i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const percent = typeof o.formatted === 'string' && /%$|pp$/.test(o.formatted);
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number') out.push({ path: `${path}.${k}`, n: v, percent });
      else numbers(v, `${path}.${k}`, out);
    }
  }
  return out;
}
const isSmallCount = (x: { n: number; percent: boolean }) =>
  !x.percent && Number.isInteger(x.n) && x.n >= 1 && x.n <= 4;

describe('disclosure control for partners', () => {
  // Variable values for every partner operation, from the store itself.
  async function domains() {
    const areas = [
      KENT,
      ...(await db.prisma.area.findMany({ where: { parentCode: KENT }, orderBy: { code: 'asc' } })).map((a) => a.code),
    ];
    const meta = await app.post(
      { query: '{ periods { code type } indicators { code periodType } cohorts { key periodType } }' },
      analyst,
    );
    const periodsOf = (type: string) =>
      (meta.body.data.periods as { code: string; type: string }[]).filter((p) => p.type === type).map((p) => p.code);
    const dimensions = schema.getType('Dimension') as unknown as { getValues(): { name: string }[] };
    return {
      areas,
      periodsOf,
      periods: meta.body.data.periods as { code: string; type: string }[],
      indicators: meta.body.data.indicators as { code: string; periodType: string }[],
      cohorts: meta.body.data.cohorts as { key: string; periodType: string }[],
      dimensions: dimensions.getValues().map((v) => v.name),
    };
  }

  /** Variable sets: every value of every variable at least once, plus random combinations (seeded). */
  async function variableSets(): Promise<[PartnerOperation, Record<string, unknown>][]> {
    const d = await domains();
    const rng = createRng(8);
    const sets: [PartnerOperation, Record<string, unknown>][] = [];
    // Every period for the LA and for one district drawn at random; every district at least once.
    const headline = (name: string, type: string) => {
      const periods = d.periodsOf(type);
      for (const period of periods) {
        sets.push([byName(name), { area: KENT, period }]);
        sets.push([byName(name), { area: rng.pick(d.areas.slice(1)), period }]);
      }
      for (const area of d.areas.slice(1)) sets.push([byName(name), { area, period: rng.pick(periods) }]);
    };
    // Each service's headlines, over the periods of the type of its default period ("2016|CY": calendar years).
    const periodType = (code: string) => d.periods.find((p) => p.code === code)?.type;
    const headlines = operations.filter((o) => o.name.endsWith('-headlines'));
    expect(headlines.length).toBeGreaterThanOrEqual(3);
    for (const op of headlines) {
      const type = periodType(/\$period: String! = "([^"]+)"/.exec(op.text)?.[1] ?? '');
      expect(type, `${op.name}: the type of its default period`).toBeDefined();
      headline(op.name, type as string);
    }
    for (const ind of d.indicators) {
      const periods = d.periodsOf(ind.periodType);
      for (const dimension of d.dimensions) {
        for (const area of [KENT, rng.pick(d.areas.slice(1))]) {
          sets.push([byName('indicator-breakdown'), { code: ind.code, area, dimension, period: rng.pick(periods) }]);
        }
      }
    }
    // Every cohort overlapped with two others drawn at random.
    for (const c of d.cohorts) {
      const others = d.cohorts.filter((o) => o.key !== c.key);
      for (const other of [rng.pick(others), rng.pick(others)]) {
        const period = rng.pick(d.periodsOf(c.periodType));
        sets.push([
          byName('cohort-overlap'),
          { key: c.key, with: other.key, period, area: rng.pick([null, ...d.areas]) },
        ]);
      }
    }
    return sets;
  }

  it('no partner response has a count from 1 to 4, where analysts see such counts', async () => {
    const sets = await variableSets();
    expect(sets.length).toBeGreaterThan(150);
    const leaks: string[] = [];
    let analystSmall = 0;
    let partnerNumbers = 0;
    for (const [op, variables] of sets) {
      const [p, a] = await Promise.all([run(op, variables), app.post({ query: op.text, variables }, analyst)]);
      expect(p.status, `${op.name} ${JSON.stringify(variables)}: ${p.text.slice(0, 300)}`).toBe(200);
      const codes = (p.body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
      expect(codes.filter((c: string) => c === 'FORBIDDEN' || c === 'PERSISTED_OPERATIONS_ONLY')).toEqual([]);
      const found = numbers(p.body.data);
      partnerNumbers += found.length;
      for (const x of found.filter(isSmallCount))
        leaks.push(`${op.name} ${JSON.stringify(variables)} ${x.path} = ${x.n}`);
      analystSmall += numbers(a.body.data).filter(isSmallCount).length;
    }
    expect(leaks).toEqual([]);
    // Not vacuous: the partners got numbers, and the same operations show analysts small counts.
    expect(partnerNumbers).toBeGreaterThan(1000);
    expect(analystSmall).toBeGreaterThan(0);
  }, 300_000);

  it('the CSV export has no count from 1 to 4 for a partner either', async () => {
    const d = await domains();
    const codes = d.indicators.map((i) => i.code);
    const counts = (csv: string) => {
      const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
      const countColumns = Object.keys(rows[0] ?? {}).filter(
        (c) =>
          /_(numerator|denominator)$/.test(c) ||
          d.indicators.some((i) => i.code === c && schemaUnit(i.code) === 'COUNT'),
      );
      return rows.flatMap((r) => countColumns.map((c) => r[c])).filter((v) => /^[1-4]$/.test(v)).length;
    };
    const units = await app.post({ query: '{ indicators { code unit } }' }, analyst);
    const schemaUnit = (code: string) =>
      (units.body.data.indicators as { code: string; unit: string }[]).find((i) => i.code === code)?.unit;
    let rows = 0;
    let analystSmall = 0;
    for (const type of new Set(d.indicators.map((i) => i.periodType))) {
      const ofType = codes.filter((c) => d.indicators.find((i) => i.code === c)?.periodType === type);
      const url = `/export/indicators.csv?codes=${ofType.join(',')}&area=${d.areas.join(',')}&period=${encodeURIComponent(d.periodsOf(type).join(','))}`;
      const p = await app.fetch(url, { headers: { authorization: `Bearer ${partner}` } });
      expect(p.status, p.text.slice(0, 300)).toBe(200);
      rows += p.text.split('\n').length;
      expect(counts(p.text), `${type} export`).toBe(0);
      const a = await app.fetch(url, { headers: { authorization: `Bearer ${analyst}` } });
      analystSmall += counts(a.text);
    }
    expect(rows).toBeGreaterThan(100);
    expect(analystSmall).toBeGreaterThan(0);
  }, 120_000);
});

describe('audit log', () => {
  const CASES =
    'query Cases($who: String, $n: Int) { troubledFamilies { earlyHelpCases(personId: $who, first: $n) { totalCount nodes { id personId } } } }';

  it('writes one row per request that returned record-level data, with redacted variables', async () => {
    const before = await db.prisma.auditLog.count();
    const person = (await db.prisma.earlyHelpCase.findFirstOrThrow({ orderBy: { id: 'asc' } })).personId;
    const expected = await db.prisma.earlyHelpCase.count({ where: { personId: person } });
    const r = await app.post({ query: CASES, operationName: 'Cases', variables: { who: person, n: 7 } }, analyst);
    expect(r.body.data.troubledFamilies.earlyHelpCases.nodes).toHaveLength(Math.min(7, expected));
    const rows = await db.prisma.auditLog.findMany({ where: { id: { gt: 0 } }, orderBy: { id: 'desc' }, take: 1 });
    expect(await db.prisma.auditLog.count()).toBe(before + 1);
    expect(rows[0]).toMatchObject({
      keyId: parseKey(analyst)?.id,
      subject: 'analyst',
      role: 'DIRECTORATE_ANALYST',
      operationName: 'Cases',
      variables: { who: '[redacted]', n: 7 },
      records: { EarlyHelpCasePage: 1, EarlyHelpCase: Math.min(7, expected) },
      recordCount: 1 + Math.min(7, expected),
      services: ['troubled-families'],
    });
    expect(rows[0].documentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows[0])).not.toContain(person);
  });

  it('audits every repetition of a record-level request: its response is never served from the cache', async () => {
    const person = (await db.prisma.earlyHelpCase.findFirstOrThrow({ orderBy: { id: 'asc' } })).personId;
    const expected = await db.prisma.earlyHelpCase.count({ where: { personId: person } });
    const before = await db.prisma.auditLog.count();
    for (let i = 0; i < 3; i++) {
      const r = await app.post({ query: CASES, operationName: 'Cases', variables: { who: person, n: 5 } }, analyst);
      expect(r.body.data.troubledFamilies.earlyHelpCases.nodes).toHaveLength(Math.min(5, expected));
    }
    expect(await db.prisma.auditLog.count()).toBe(before + 3);
  });

  it('writes nothing for aggregates, partner operations or refused record reads', async () => {
    const before = await db.prisma.auditLog.count();
    await app.post(
      {
        query: `{ area(code: "${KENT}") { name troubledFamilies { claims(period: "2016/2017|FY") { value { value } } } } }`,
      },
      analyst,
    );
    await run(byName('send-headlines'), { period: '2016|CY' });
    const publicKey = await makeKey(db, { role: 'PUBLIC' });
    const refused = await app.post({ query: CASES }, publicKey);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await db.prisma.auditLog.count()).toBe(before);
  });

  it('is listed to analysts (service analysts: entries with their services) and to no one else', async () => {
    const sendAnalyst = await makeKey(db, { role: 'SERVICE_ANALYST', services: ['send'] });
    await app.post({ query: '{ send { assessments(first: 3) { nodes { id } } } }' }, sendAnalyst);
    const LIST = '{ auditLog(first: 200) { id subject role services recordCount records { type count } variables } }';
    const all = await app.post({ query: LIST }, analyst);
    const entries = all.body.data.auditLog as { subject: string; services: string[] }[];
    expect(entries.length).toBe(await db.prisma.auditLog.count());
    const mine = await app.post({ query: LIST }, sendAnalyst);
    const seen = mine.body.data.auditLog as { services: string[] }[];
    expect(seen.length).toBe(entries.filter((e) => e.services.includes('send')).length);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.services.includes('send'))).toBe(true);
    const publicKey = await makeKey(db, { role: 'PUBLIC' });
    const denied = await app.post({ query: LIST }, publicKey);
    expect(denied.body.data).toBeNull();
    expect(denied.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, path: ['auditLog'] });
  });

  it('withholds record-level data when the audit row cannot be written', async () => {
    const broken = accessApp(
      {
        ...db,
        prisma: new Proxy(db.prisma, {
          get: (t, k) =>
            k === 'auditLog' ? { create: () => Promise.reject(new Error('disk full')) } : Reflect.get(t, k),
        }),
      },
      { services: allServices, access: { jwt: false, limits: UNLIMITED_RATE } },
    );
    const r = await broken.post({ query: CASES, variables: { n: 2 } }, analyst);
    expect(r.status).toBe(503);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
    expect(r.text).not.toMatch(/EH\d{7}|P\d{7}/);
    await broken.dispose();
  });
});

describe('execution time limit', () => {
  // PGlite runs in this thread and holds the event loop while it answers, so the limit is shown on a field
  // that waits, as a slow PostgreSQL query would.
  const waiting: ServicePlugin = {
    key: 'waiting',
    slug: 'waiting',
    title: 'A field that waits',
    register(builder) {
      builder.queryField('waitFor', (t) =>
        t.int({
          description: 'Waits the given milliseconds, then returns them.',
          args: { ms: t.arg.int({ required: true }) },
          resolve: async (_root, { ms }) => {
            await new Promise((resolve) => setTimeout(resolve, ms));
            return ms;
          },
        }),
      );
    },
    indicators: [],
    cohorts: [],
    importers: [],
  };

  it('stops an operation that runs past it, naming the limit', async () => {
    const slow = accessApp(db, {
      services: [waiting],
      access: { jwt: false, limits: { ...UNLIMITED_RATE, executionTimeoutMs: 50 } },
    });
    const quick: Reply = await slow.post({ query: '{ waitFor(ms: 1) }' }, analyst);
    expect(quick.status).toBe(200);
    expect(quick.body.data).toEqual({ waitFor: 1 });
    const r: Reply = await slow.post({ query: '{ waitFor(ms: 2000) }' }, analyst);
    expect(r.status).toBe(503);
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'TIMEOUT' } });
    expect(r.body.errors[0].message).toContain('time limit of 50 ms');
    await slow.dispose();
  });
});
