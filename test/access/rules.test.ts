// The access rules as pure functions: scopes by role, partner allow-lists, key hashing and parsing, the
// audit's record counting and variable redaction. No database, no HTTP.
import {
  buildSchema as fromSdl,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseExpiry } from '../../src/cli/keys.js';
import { countRecords, REDACTED, redactVariables } from '../../src/core/access/audit.js';
import { hashSecret, keyProblem, parseKey, verifySecret } from '../../src/core/access/keys.js';
import { allowedOperations, type PartnerOperation } from '../../src/core/access/operations.js';
import { mayReadRecords, RECORD_LEVEL, recordLevel, scopesFor } from '../../src/core/access/scopes.js';
import type { Viewer } from '../../src/core/access/viewer.js';

const v = (role: Viewer['role'], services: string[] = []): Viewer => ({ role, services, name: 't' });

describe('scopes', () => {
  it('give records to directorate analysts, and to service analysts for their own services only', () => {
    expect(mayReadRecords(v('DIRECTORATE_ANALYST'), 'send')).toBe(true);
    expect(mayReadRecords(v('SERVICE_ANALYST', ['send']), 'send')).toBe(true);
    expect(mayReadRecords(v('SERVICE_ANALYST', ['send']), 'early-years')).toBe(false);
    expect(mayReadRecords(v('SERVICE_ANALYST', []), 'send')).toBe(false);
    expect(mayReadRecords(v('PARTNER', ['send']), 'send')).toBe(false);
    expect(mayReadRecords(v('PUBLIC'), 'send')).toBe(false);
  });

  it('name each role once', () => {
    const flags = (role: Viewer['role']) => {
      const s = scopesFor(v(role));
      return { analyst: s.analyst, directorate: s.directorate, partner: s.partner, public: s.public };
    };
    expect(flags('DIRECTORATE_ANALYST')).toEqual({ analyst: true, directorate: true, partner: false, public: false });
    expect(flags('SERVICE_ANALYST')).toEqual({ analyst: true, directorate: false, partner: false, public: false });
    expect(flags('PARTNER')).toEqual({ analyst: false, directorate: false, partner: true, public: false });
    expect(flags('PUBLIC')).toEqual({ analyst: false, directorate: false, partner: false, public: true });
    expect(scopesFor({ ...v('PUBLIC'), role: 'NOBODY' as Viewer['role'] }).authenticated).toBe(false);
  });

  it('recordLevel marks the schema and requires the service scope', () => {
    expect(recordLevel('send')).toEqual({ authScopes: { service: 'send' }, extensions: { [RECORD_LEVEL]: 'send' } });
  });
});

describe('partner allow-lists', () => {
  const op = (name: string, services: string[] | null) => ({ name, services }) as PartnerOperation;
  const all = [
    op('tf', ['troubled-families']),
    op('send', ['send']),
    op('both', ['send', 'early-years']),
    op('any', null),
  ];

  it('are every operation for a partner with neither services nor a list', () => {
    expect(allowedOperations(all, { services: [], operations: [] })).toEqual(['tf', 'send', 'both', 'any']);
  });
  it('keep only operations reading the partner’s services; service-wide ones need all services', () => {
    expect(allowedOperations(all, { services: ['send'], operations: [] })).toEqual(['send']);
    expect(allowedOperations(all, { services: ['send', 'early-years'], operations: [] })).toEqual(['send', 'both']);
  });
  it('narrow to the explicit list', () => {
    expect(allowedOperations(all, { services: [], operations: ['any', 'tf'] })).toEqual(['tf', 'any']);
    expect(allowedOperations(all, { services: ['send'], operations: ['tf'] })).toEqual([]);
  });
});

describe('API keys', () => {
  it('store a scrypt hash that verifies only the same secret', async () => {
    const stored = await hashSecret('secret-one');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain('secret-one');
    expect(await verifySecret('secret-one', stored)).toBe(true);
    expect(await verifySecret('secret-two', stored)).toBe(false);
    expect(await verifySecret('secret-one', 'plain$text')).toBe(false);
    expect(await hashSecret('secret-one')).not.toBe(stored);
  });

  it('parse only the cype_<id>_<secret> shape', () => {
    const secret = 'A'.repeat(43);
    expect(parseKey(`cype_abcdefghij12_${secret}`)).toEqual({ id: 'abcdefghij12', secret });
    for (const bad of [`cype_abc_${secret}`, `cype_abcdefghij12_${secret}x`, `key_abcdefghij12_${secret}`, 'cype_']) {
      expect(parseKey(bad)).toBeUndefined();
    }
  });

  it('are refused with the option at fault', () => {
    const known = { services: ['send', 'early-years'], operations: ['send-headlines'] };
    expect(keyProblem({ name: 'x', role: 'SERVICE_ANALYST' }, known)?.option).toBe('services');
    expect(keyProblem({ name: 'x', role: 'PARTNER', services: ['police'] }, known)?.message).toContain('police');
    expect(keyProblem({ name: 'x', role: 'PUBLIC', operations: ['send-headlines'] }, known)?.option).toBe('operations');
    expect(keyProblem({ name: 'x', role: 'PARTNER', operations: ['nope'] }, known)?.option).toBe('operations');
    expect(keyProblem({ name: ' ', role: 'PARTNER' }, known)?.option).toBe('name');
    expect(keyProblem({ name: 'x', role: 'ADMIN' as Viewer['role'] }, known)?.option).toBe('role');
    expect(keyProblem({ name: 'x', role: 'PARTNER', services: ['send'], operations: ['send-headlines'] }, known)).toBe(
      undefined,
    );
  });

  it('expire on a date (end of day, UTC) or after a number of days', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(parseExpiry('90d', now).toISOString()).toBe('2026-04-01T12:00:00.000Z');
    expect(parseExpiry('2026-02-28', now).toISOString()).toBe('2026-02-28T23:59:59.999Z');
    expect(() => parseExpiry('2026-02-30', now)).toThrow(/YYYY-MM-DD/);
    expect(() => parseExpiry('soon', now)).toThrow(/90d/);
  });
});

describe('audit', () => {
  // A schema shaped like a service: an aggregate root, a page (record level) of cases (record level),
  // and a record-level field on an aggregate type.
  const Case = new GraphQLObjectType({
    name: 'Case',
    extensions: { [RECORD_LEVEL]: 'svc' },
    fields: { id: { type: GraphQLString }, personId: { type: GraphQLString } },
  });
  const Page = new GraphQLObjectType({
    name: 'CasePage',
    extensions: { [RECORD_LEVEL]: 'svc' },
    fields: { total: { type: GraphQLInt }, nodes: { type: new GraphQLList(new GraphQLNonNull(Case)) } },
  });
  const Area = new GraphQLObjectType({
    name: 'Area',
    fields: {
      code: { type: GraphQLString },
      youngestPersonId: { type: GraphQLString, extensions: { [RECORD_LEVEL]: 'other' } },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { cases: { type: Page }, areas: { type: new GraphQLList(Area) } },
    }),
  });

  it('counts record-level objects and fields through aliases and fragments', () => {
    const doc = parse(`
      query Q { a: cases { total nodes { ...F } } b: cases { nodes { id } } areas { code youngestPersonId } }
      fragment F on Case { id personId }`);
    const data = {
      a: {
        total: 3,
        nodes: [
          { id: '1', personId: 'p' },
          { id: '2', personId: 'q' },
          { id: '3', personId: 'r' },
        ],
      },
      b: { nodes: [{ id: '1' }] },
      areas: [
        { code: 'x', youngestPersonId: 'p' },
        { code: 'y', youngestPersonId: null },
      ],
    };
    expect(countRecords(schema, doc, 'Q', data)).toEqual({
      records: { CasePage: 2, Case: 4, 'Area.youngestPersonId': 1 },
      total: 7,
      services: ['svc', 'other'],
    });
    expect(countRecords(schema, parse('{ areas { code } }'), undefined, { areas: [{ code: 'x' }] }).total).toBe(0);
    expect(countRecords(schema, doc, 'Q', null).total).toBe(0);
  });

  it('keeps codes, numbers and enum values, and redacts what could name a person', () => {
    const sdl = fromSdl(`
      enum Dim { SEX FSM }
      input Opt { name: String }
      type Query { f(area: String, period: String, personId: String, first: Int, dim: Dim, after: String, o: Opt, services: [String!]): Int }`);
    const doc =
      parse(`query ($a: String, $p: String, $who: String, $n: Int, $d: Dim, $c: String, $o: Opt, $s: [String!], $mixed: String) {
      f(area: $a, period: $p, personId: $who, first: $n, dim: $d, after: $c, o: $o, services: $s)
      g: f(area: $mixed, personId: $mixed) }`);
    const out = redactVariables(
      doc,
      {
        a: 'E10000016',
        p: '2016/2017|AY',
        who: 'P0001234',
        n: 10,
        d: 'FSM',
        c: 'EH000012',
        o: { name: 'Jo Bloggs' },
        s: ['send'],
        mixed: 'P1',
      },
      sdl,
    );
    expect(out).toEqual({
      a: 'E10000016',
      p: '2016/2017|AY',
      who: REDACTED,
      n: 10,
      d: 'FSM',
      c: REDACTED,
      o: REDACTED,
      s: ['send'],
      mixed: REDACTED,
    });
  });
});
