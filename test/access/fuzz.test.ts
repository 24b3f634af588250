// 10,000 generated requests, deterministic from one seed: random documents from the schema with random and
// wrongly typed variables, malformed JSON, wrong content types and methods, huge, deep and over-aliased
// documents, persisted-operation ids, and good, bad, revoked and expired credentials. No response may be
// a 5xx, and none may carry a stack trace, a file path or an internal message.

import {
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { allServices } from '../../services/index.js';
import { ANALYST } from '../../src/context.js';
import { createKey, revokeKey } from '../../src/core/access/keys.js';
import { loadPartnerOperations } from '../../src/core/access/operations.js';
import type { Rng, ServicePlugin } from '../../src/core/plugin.js';
import { createRng } from '../../src/core/rng.js';
import type { Database } from '../../src/db.js';
import { buildSchema } from '../../src/schema.js';
import { createTestDatabase } from '../harness.js';
import { type AccessTestApp, accessApp, makeKey, UNLIMITED_RATE } from './helpers.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 8;
const SEED = 20_260_808;

let db: Database;
let app: AccessTestApp;
/** The embedded demo's app: requests without credentials are a directorate analyst (no key to look up). */
let demo: AccessTestApp;
const schema: GraphQLSchema = buildSchema(allServices);
const partnerOps = loadPartnerOperations(allServices);
let credentials: Record<'analyst' | 'service' | 'partner' | 'public' | 'revoked' | 'expired' | 'jwt', string>;
let signJwt: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  // An empty, migrated store: the point is the HTTP and GraphQL layers, not the figures.
  db = await createTestDatabase();
  const pair = await generateKeyPair('RS256');
  signJwt = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(pair.privateKey);
  app = accessApp(db, {
    services: allServices,
    access: { publicAccess: true, jwt: { publicKey: await exportSPKI(pair.publicKey) }, limits: UNLIMITED_RATE },
  });
  demo = accessApp(db, { services: allServices, viewer: ANALYST, access: { jwt: false, limits: UNLIMITED_RATE } });
  const revoked = await createKey(db, { name: 'revoked', role: 'DIRECTORATE_ANALYST' });
  await revokeKey(db, revoked.row.id);
  credentials = {
    analyst: await makeKey(db, { role: 'DIRECTORATE_ANALYST' }),
    service: await makeKey(db, { role: 'SERVICE_ANALYST', services: ['send'] }),
    partner: await makeKey(db, { role: 'PARTNER' }),
    public: await makeKey(db, { role: 'PUBLIC' }),
    revoked: revoked.key,
    expired: await makeKey(db, { role: 'PARTNER', expiresAt: new Date('2020-01-01T00:00:00Z') }),
    jwt: await signJwt({ sub: 'fuzz', role: 'SERVICE_ANALYST', services: ['early-years'] }),
  };
}, 120_000);
afterAll(async () => {
  await app?.dispose();
  await demo?.dispose();
  await db?.close();
});

// ---------------------------------------------------------------------------------------------------------
// Values

const STRINGS = [
  'E10000016',
  'E07000105',
  '2016/2017|AY',
  '2016|CY',
  '2017|M1',
  'EY_GLD',
  'send.withEhcp',
  '',
  ' ',
  'x'.repeat(3000),
  "' OR 1=1 --",
  '"; DROP TABLE "Person"; --',
  '../../../../etc/passwd',
  '%00\u0000nul',
  '😀 ünïcödé ✓',
  '\\u0000',
  '$' + '{process.env}',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '2017-02-30',
  '9999-99-99T99:99:99Z',
  'P0000001',
  'cype_aaaaaaaaaaaa_bbbb',
  '<script>alert(1)</script>',
];
const INTS = [0, 1, -1, 7, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 1e15, Number.MAX_SAFE_INTEGER, 3.5, -0];

function weird(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, 9)) {
    case 0:
      return null;
    case 1:
      return rng.pick(STRINGS);
    case 2:
      return rng.pick(INTS);
    case 3:
      return rng.chance(0.5);
    case 4:
      return depth > 3 ? [] : Array.from({ length: rng.int(0, 4) }, () => weird(rng, depth + 1));
    case 5:
      return depth > 3 ? {} : { [rng.pick(['a', 'name', '__proto__', 'constructor', 'value'])]: weird(rng, depth + 1) };
    case 6:
      return 1e308 * 10; // Infinity: JSON.stringify writes null
    case 7:
      return rng.pick(STRINGS).repeat(rng.int(1, 20));
    default:
      return rng.int(-1000, 1000);
  }
}

/** A value for an input type: usually of the right kind, sometimes not. */
function inputValue(rng: Rng, type: GraphQLInputType, depth = 0): unknown {
  if (rng.chance(0.12)) return weird(rng);
  if (isNonNullType(type)) return inputValue(rng, type.ofType, depth);
  if (isListType(type)) {
    return depth > 3 ? [] : Array.from({ length: rng.int(0, 3) }, () => inputValue(rng, type.ofType, depth + 1));
  }
  if (isEnumType(type)) return rng.chance(0.9) ? rng.pick(type.getValues()).name : rng.pick(STRINGS);
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter(() => rng.chance(0.8))
        .map((f) => [f.name, inputValue(rng, f.type, depth + 1)]),
    );
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return rng.pick(INTS);
    case 'Float':
      return rng.pick([...INTS, 0.5, -2.25]);
    case 'Boolean':
      return rng.chance(0.5);
    case 'Date':
      return rng.pick(['2017-01-01', '2017-02-30', 'yesterday', '']);
    case 'DateTime':
      return rng.pick(['2017-01-01T00:00:00Z', 'not a time', '0', '']);
    default:
      return rng.pick(STRINGS);
  }
}

/** A GraphQL literal for a value (JSON is close enough; what it gets wrong the parser refuses, with a 400). */
function literal(rng: Rng, type: GraphQLInputType, value: unknown): string {
  const n = getNullableType(type);
  if (isEnumType(n) && typeof value === 'string' && /^[A-Z_]+$/.test(value)) return value;
  if (Array.isArray(value)) return `[${value.map((v) => literal(rng, isListType(n) ? n.ofType : n, v)).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(rng, type, v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------------------
// Documents

interface Doc {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

function randomDocument(rng: Rng): Doc {
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  let aliases = 0;
  const maxDepth = rng.pick([2, 3, 4, 5, 6, 8, 12]);
  const arg = (a: GraphQLArgument): string | undefined => {
    if (!isNonNullType(a.type) && !rng.chance(0.4)) return undefined;
    if (rng.chance(0.05)) return `${a.name}: $undeclared`;
    const value = inputValue(rng, a.type);
    if (rng.chance(0.5)) {
      const v = `v${defs.length}`;
      // Usually the argument's own type; sometimes a wrong one (validation refuses it).
      defs.push(`$${v}: ${rng.chance(0.9) ? String(a.type) : rng.pick(['Int', 'String!', '[Boolean]', 'Nope'])}`);
      if (!rng.chance(0.05)) variables[v] = value;
      return `${a.name}: $${v}`;
    }
    return `${a.name}: ${literal(rng, a.type, value)}`;
  };
  const selection = (type: GraphQLObjectType, depth: number): string => {
    const fields = Object.values(type.getFields());
    // Narrow below the top: wide and deep would mostly be refused by the cost limit before execution.
    const picked = Array.from({ length: rng.int(1, depth < 2 ? 3 : 2) }, () => rng.pick(fields));
    const parts = picked.map((f) => {
      if (rng.chance(0.02)) return rng.pick(['nope', '__schema { types { name } }', '__type(name: "Area") { name }']);
      const alias = rng.chance(0.1) || aliases > 0 ? `a${aliases++}: ` : '';
      const args = f.args
        .map(arg)
        .filter((x): x is string => Boolean(x))
        .concat(rng.chance(0.03) ? ['bogus: 1'] : []);
      const head = `${alias}${f.name}${args.length ? `(${args.join(', ')})` : ''}`;
      const directive = rng.chance(0.05) ? rng.pick([' @include(if: true)', ' @skip(if: false)', ' @nope']) : '';
      const named = getNamedType(f.type);
      if (!isObjectType(named)) return head + directive;
      if (depth >= maxDepth || rng.chance(0.03)) return head + directive + (rng.chance(0.5) ? '' : ' { __typename }');
      const inner = selection(named, depth + 1);
      return `${head}${directive} { ${rng.chance(0.1) ? `... on ${named.name} { ${inner} }` : inner} }`;
    });
    if (rng.chance(0.05)) {
      // Many aliases of one cheap field: over the alias limit now and then.
      const n = rng.pick([5, 20, 40]);
      for (let i = 0; i < n; i++) parts.push(`x${aliases++}: __typename`);
    }
    return parts.join(' ');
  };
  const kind = rng.pick(['query', 'query', 'query', 'query', 'query', 'query', 'mutation', 'subscription']);
  const root = kind === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const body = selection(root as GraphQLObjectType, 0);
  const name = rng.chance(0.3) ? `Fuzz${rng.int(0, 99)}` : '';
  const head = `${kind}${name ? ` ${name}` : ''}${defs.length ? `(${defs.join(', ')})` : ''}`;
  const query = rng.chance(0.1) && kind === 'query' && !defs.length ? `{ ${body} }` : `${head} { ${body} }`;
  return { query, variables, operationName: name && rng.chance(0.8) ? name : rng.chance(0.05) ? 'Other' : undefined };
}

/** The document, damaged: truncated, a character changed, or nonsense. */
function damaged(rng: Rng, query: string): string {
  switch (rng.int(0, 4)) {
    case 0:
      return query.slice(0, rng.int(0, query.length));
    case 1: {
      const i = rng.int(0, query.length);
      return query.slice(0, i) + rng.pick(['{', '}', '(', '"', '$', '!', '@', '#', '\\', '\u0000']) + query.slice(i);
    }
    case 2:
      return `${'{ a '.repeat(rng.pick([50, 500, 3000]))}`;
    case 3:
      return `{ ${'areas { code } '.repeat(rng.pick([100, 700]))}}`;
    default:
      return rng.pick([
        '',
        ' ',
        '#',
        'query',
        '{}',
        'fragment F on Area { code }',
        '{ ...F }',
        'query { ...on Query { viewer { role } } }',
      ]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Requests

interface Req {
  what: string;
  /** Sent to the embedded demo's app (no credentials = a directorate analyst), not the keyed one. */
  demo?: boolean;
  path: string;
  init: RequestInit;
}

const GQL_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
};

function authHeader(rng: Rng): { what: string; headers: Record<string, string>; demo?: boolean } {
  const r = rng.int(0, 19);
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
  if (r < 5) return { what: 'demo', headers: {}, demo: true };
  if (r < 7) return { what: 'analyst', headers: bearer(credentials.analyst) };
  if (r < 9) return { what: 'service', headers: bearer(credentials.service) };
  if (r < 11) return { what: 'partner', headers: bearer(credentials.partner) };
  if (r < 12) return { what: 'public-key', headers: bearer(credentials.public) };
  if (r < 13) return { what: 'jwt', headers: bearer(credentials.jwt) };
  if (r < 15) return { what: 'none', headers: {} };
  // A known key id with a wrong secret costs a scrypt check (~50 ms): rare here, auth.test.ts covers it.
  const tampered = `${credentials.analyst.slice(0, -1)}${credentials.analyst.endsWith('A') ? 'B' : 'A'}`;
  const bad = rng.pick([
    credentials.revoked,
    credentials.expired,
    rng.chance(0.1) ? tampered : credentials.revoked,
    `cype_${'a'.repeat(12)}_${'b'.repeat(43)}`,
    'cype_short',
    'eyJhbGciOiJub25lIn0.eyJyb2xlIjoiRElSRUNUT1JBVEVfQU5BTFlTVCJ9.',
    'eyJ.eyJ.sig',
    'a.b.c',
    'x'.repeat(5000),
    '',
  ]);
  const header = rng.pick([
    `Bearer ${bad}`,
    `bearer ${bad}`,
    `Basic ${Buffer.from('user:pass').toString('base64')}`,
    'Bearer',
    'Bearer  two  words',
    bad,
    'Digest username="x"',
  ]);
  return { what: `bad-auth(${header.slice(0, 40)})`, headers: { authorization: header } };
}

async function jwtHeader(rng: Rng): Promise<Record<string, string>> {
  const claims = rng.pick<Record<string, unknown>>([
    { sub: 'fuzz', role: 'ROOT' },
    { sub: 'fuzz', role: 'PARTNER', services: 'send, nope' },
    { sub: 'fuzz', role: 'SERVICE_ANALYST', services: 42 },
    { role: 'PUBLIC' },
    { sub: { nested: true }, role: ['DIRECTORATE_ANALYST'] },
    { sub: 'fuzz', role: 'PARTNER', operations: ['send-headlines', 7] },
  ]);
  return { authorization: `Bearer ${await signJwt(claims)}` };
}

async function generate(rng: Rng, i: number): Promise<Req> {
  const auth = authHeader(rng);
  return { ...(await request(rng, i, auth)), demo: auth.demo };
}

async function request(rng: Rng, i: number, auth: ReturnType<typeof authHeader>): Promise<Req> {
  const kind = rng.int(0, 99);
  const post = (body: BodyInit, headers: Record<string, string> = GQL_HEADERS, what = 'post') => ({
    what: `${what} as ${auth.what}`,
    path: '/graphql',
    init: { method: 'POST', headers: { ...headers, ...auth.headers }, body },
  });
  if (kind < 40) {
    const doc = randomDocument(rng);
    return post(JSON.stringify(doc), GQL_HEADERS, 'document');
  }
  if (kind < 48) {
    const doc = randomDocument(rng);
    return post(JSON.stringify({ ...doc, query: damaged(rng, doc.query) }), GQL_HEADERS, 'damaged document');
  }
  if (kind < 54) {
    // A partner operation, by id or as text, with random variables.
    const op = rng.pick(partnerOps);
    const variables = Object.fromEntries(
      ['area', 'period', 'code', 'dimension', 'key', 'with'].map((k) => [k, weird(rng)]),
    );
    const body = rng.chance(0.6)
      ? { documentId: rng.chance(0.9) ? op.hash : rng.pick(['', 'f'.repeat(64), 'sha256:xyz', 42]), variables }
      : rng.chance(0.5)
        ? { extensions: { persistedQuery: { version: 1, sha256Hash: op.hash } }, variables }
        : { query: op.text, variables };
    return post(JSON.stringify(body), GQL_HEADERS, `partner op ${op.name}`);
  }
  if (kind < 66) {
    const doc = randomDocument(rng);
    const text = JSON.stringify(doc);
    const bodies: string[] = [
      text.slice(0, rng.int(0, text.length)),
      `${text}}`,
      'null',
      '[]',
      '"a string"',
      '42',
      `[${text}, ${text}]`,
      '{"query": 5}',
      '{"query": null}',
      '{"query": "{ viewer { role } }", "variables": "not an object"}',
      '{"query": "{ viewer { role } }", "variables": [1, 2]}',
      '{"query": "{ viewer { role } }", "operationName": 7}',
      '{"query": "{ viewer { role } }", "extensions": "x"}',
      '{"query": {"nested": "object"}}',
      `${'['.repeat(rng.pick([100, 5000, 20000]))}${']'.repeat(rng.pick([0, 100]))}`,
      `{"query": "{ viewer { role } }", "variables": ${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
      '\u0000\u0001\u0002',
      '{"__proto__": {"query": "{ viewer { role } }"}}',
      `{"query": "${'x'.repeat(300_000)}"}`,
    ];
    return post(rng.pick(bodies), GQL_HEADERS, 'malformed JSON');
  }
  if (kind < 76) {
    const doc = randomDocument(rng);
    const type = rng.pick([
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=xyz',
      'application/graphql',
      'application/xml',
      'application/json; charset=latin1',
      '',
      'application/json, text/html',
    ]);
    const body = rng.pick([
      doc.query,
      JSON.stringify(doc),
      `--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(doc)}\r\n--xyz--`,
      'a=b&c=d',
    ]);
    // Rarely text/html: that is GraphiQL's page (megabytes), not an API answer.
    const accept = rng.chance(0.03) ? 'text/html' : rng.pick(['application/json', '*/*', 'image/png', '']);
    const headers: Record<string, string> = { accept };
    if (type) headers['content-type'] = type;
    if (rng.chance(0.5)) headers['x-graphql-yoga-csrf'] = '1';
    return post(body, headers, `content-type ${type || '(none)'}`);
  }
  if (kind < 85) {
    const doc = randomDocument(rng);
    const method = rng.pick(['GET', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    const params = new URLSearchParams();
    if (rng.chance(0.8)) params.set('query', rng.chance(0.8) ? doc.query : damaged(rng, doc.query));
    if (rng.chance(0.5)) params.set('variables', rng.chance(0.7) ? JSON.stringify(doc.variables) : '{bad json');
    if (rng.chance(0.2)) params.set('extensions', rng.pick(['{}', 'nope', '{"persistedQuery":{"sha256Hash":1}}']));
    const headers: Record<string, string> = {
      accept: rng.chance(0.03) ? 'text/html' : rng.pick(['application/json', '*/*']),
    };
    if (rng.chance(0.7)) headers['x-graphql-yoga-csrf'] = '1';
    return {
      what: `${method} as ${auth.what}`,
      path: `/graphql?${params}`,
      init: { method, headers: { ...headers, ...auth.headers } },
    };
  }
  if (kind < 92) {
    // Other paths: the CSV export with random parameters, health, nonsense.
    const params = new URLSearchParams();
    for (const k of ['codes', 'area', 'period', 'breakdown', 'format', 'x']) {
      if (rng.chance(0.6)) params.set(k, String(weird(rng)));
    }
    const path = rng.pick([
      `/export/indicators.csv?${params}`,
      `/export/indicators.csv?codes=EY_GLD&area=E10000016&period=${encodeURIComponent('2016/2017|AY')}`,
      '/export/nope.csv',
      '/healthz',
      '/',
      '/graphql/extra',
      '/..%2f..%2fetc%2fpasswd',
      `/${'a'.repeat(rng.pick([10, 5000]))}`,
    ]);
    const method = rng.pick(['GET', 'GET', 'POST', 'DELETE', 'HEAD']);
    return { what: `${method} ${path.slice(0, 40)} as ${auth.what}`, path, init: { method, headers: auth.headers } };
  }
  if (kind < 95) {
    // A multipart upload to importFile, with random or damaged parts.
    const form = new FormData();
    const csv = rng.pick([
      '',
      'a,b\n1,2\n',
      'person_id\nP1\n',
      '\u0000\u0001',
      'x'.repeat(10_000),
      '"unclosed,quote\n',
    ]);
    const operations = rng.pick([
      JSON.stringify({
        query:
          'mutation($file: File!, $format: String!) { importFile(file: $file, format: $format, dryRun: true) { status errorCount } }',
        variables: { file: null, format: rng.pick(['core/people', 'core/characteristics', 'nope', '']) },
      }),
      '{not json',
      JSON.stringify({ query: '{ viewer { role } }' }),
    ]);
    form.set('operations', operations);
    form.set(
      'map',
      rng.pick(['{"0": ["variables.file"]}', '{"0": ["variables.nope.deeper"]}', 'nope', '{"1": ["x"]}']),
    );
    if (rng.chance(0.9)) form.set('0', new Blob([csv], { type: 'text/csv' }), 'fuzz.csv');
    const headers: Record<string, string> = { ...auth.headers };
    if (rng.chance(0.8)) headers['x-graphql-yoga-csrf'] = '1';
    return { what: `upload as ${auth.what}`, path: '/graphql', init: { method: 'POST', headers, body: form } };
  }
  // JWTs with odd claims, signed by the trusted key.
  return post(
    JSON.stringify({ query: '{ viewer { role name services } }' }),
    { ...GQL_HEADERS, ...(await jwtHeader(rng)) },
    `jwt claims #${i}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// What no response may contain

// Plain patterns (no nested quantifiers): some bodies are hundreds of kilobytes.
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /(?:\n|\\n)\s*at \S|\bat \S+ \(|:\d+:\d+\)/],
  ['a file path', /\/work\/|\/home\/|\/usr\/|node_modules|file:\/\/|\.(?:ts|js|mjs|cjs):\d/],
  [
    'a JavaScript error',
    /TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|is not a function|undefined is not|Maximum call stack/,
  ],
  [
    'a database message',
    /prisma|pglite|postgres|SQLSTATE|relation "|violates|duplicate key value|syntax error at or near/i,
  ],
  ['an internal error object', /"(?:stack|stacktrace|originalError)"\s*:/i],
];

describe('10,000 generated requests', () => {
  it('never get a 5xx, and never a stack trace, path or internal message', async () => {
    // Yoga logs each refused request to the console (with its stack: the server's log, not the response).
    const quiet = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'debug')];
    for (const q of quiet) q.mockImplementation(() => {});
    onTestFinished(() => {
      for (const q of quiet) q.mockRestore();
    });
    const rng = createRng(SEED);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let withData = 0;
    let done = 0;
    while (done < REQUESTS) {
      const batch: Req[] = [];
      for (let k = 0; k < CONCURRENCY && done + batch.length < REQUESTS; k++) {
        batch.push(await generate(rng, done + batch.length));
      }
      await Promise.all(
        batch.map(async (req) => {
          const r = await (req.demo ? demo : app).fetch(req.path, req.init);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.body?.data && Object.values(r.body.data).some((v) => v !== null)) withData++;
          const sample = `${req.what} ${req.init.method} ${req.path.slice(0, 80)}: ${r.status} ${r.text.slice(0, 300)}`;
          if (r.status >= 500) problems.push(`5xx: ${sample}`);
          for (const [what, re] of LEAKS) {
            // The GraphiQL page is HTML with its own scripts: only API answers are scanned.
            if ((r.headers.get('content-type') ?? '').includes('text/html')) break;
            const m = re.exec(r.text);
            if (m) problems.push(`${what} ("${m[0]}"): ${sample}`);
          }
        }),
      );
      done += batch.length;
    }
    expect(problems.slice(0, 30), `${problems.length} problems:\n${problems.slice(0, 30).join('\n')}`).toEqual([]);
    // Not vacuous: the requests reached every layer, from refusals to executed operations with data.
    const count = (s: number) => statuses.get(s) ?? 0;
    expect(count(200), JSON.stringify([...statuses])).toBeGreaterThan(REQUESTS * 0.1);
    for (const s of [400, 401, 403, 405])
      expect(count(s), `status ${s}: ${JSON.stringify([...statuses])}`).toBeGreaterThan(10);
    expect(withData).toBeGreaterThan(REQUESTS * 0.05);
  }, 180_000);
});

describe('masked errors', () => {
  // Fields that fail the ways code fails: a bug (TypeError), a database error, an Error with a path in it.
  const failing: ServicePlugin = {
    key: 'failing',
    slug: 'failing',
    title: 'Fields that fail',
    register(builder) {
      builder.queryFields((t) => ({
        bug: t.int({
          nullable: true,
          description: 'Reads a property of undefined.',
          resolve: () => (undefined as unknown as { x: { y: number } }).x.y,
        }),
        badSql: t.int({
          nullable: true,
          description: 'Runs SQL the database refuses.',
          resolve: async (_root, _args, ctx) => {
            await ctx.db.prisma.$queryRawUnsafe('SELECT nope FROM "NoSuchTable"');
            return 1;
          },
        }),
        leaky: t.int({
          nullable: true,
          description: 'Throws an Error naming a file and a secret.',
          resolve: () => {
            throw new Error('ENOENT: /work/main/.data/secret.key (password=hunter2)');
          },
        }),
        fine: t.int({ description: 'Answers.', resolve: () => 7 }),
      }));
    },
    indicators: [],
    cohorts: [],
    importers: [],
  };

  it('say "Unexpected error." with no stack, message or cause, and leave the rest of the answer', async () => {
    const masked = accessApp(db, {
      services: [failing],
      viewer: ANALYST,
      access: { jwt: false, limits: UNLIMITED_RATE },
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const field of ['bug', 'badSql', 'leaky']) {
        const r = await masked.post({ query: `{ ${field} fine }` });
        expect(r.status, r.text).toBe(200);
        expect(r.body.data).toEqual({ [field]: null, fine: 7 });
        expect(r.body.errors).toEqual([
          {
            message: 'Unexpected error.',
            locations: [{ line: 1, column: 3 }],
            path: [field],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ]);
        for (const [what, re] of LEAKS) expect(re.test(r.text), `${field}: ${what} in ${r.text}`).toBe(false);
        expect(r.text).not.toMatch(/hunter2|NoSuchTable|undefined/);
      }
    } finally {
      quiet.mockRestore();
      await masked.dispose();
    }
  });
});
