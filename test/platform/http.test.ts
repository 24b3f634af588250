// The HTTP face of the app, in-process: the GraphQL-over-HTTP audits of `graphql-http` (every MUST passes,
// through app.fetch and through a real Node HTTP server), every example operation (core's in
// schema/operations/examples, each plugin's in its operations/examples) runs on the demo data (so none can
// rot), opens as a GraphiQL tab, and reads only core and the plugin that declares it; and /healthz answers
// 200 only while the database answers.
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { Kind, parse, validate } from 'graphql';
import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { createApp, exampleOperations } from '../../src/app.js';
import { ANALYST } from '../../src/context.js';
import { CORE_OPERATIONS_DIR } from '../../src/core/access/operations.js';
import { openDatabase } from '../../src/db.js';
import { buildSchema } from '../../src/schema.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The example files in a folder of operations (core's, or a plugin's `operations`), read here independently. */
const examplesIn = (root: string | undefined) => {
  const dir = path.join(root ?? '', 'examples');
  return root && fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.graphql'))
        .map((f) => ({ name: f.replace(/\.graphql$/, ''), file: path.join(dir, f) }))
    : [];
};
/** Every example with who declares it: core, or the plugin of that slug. */
const declared = [
  ...examplesIn(CORE_OPERATIONS_DIR).map((e) => ({ ...e, owner: 'core' })),
  ...allServices.flatMap((s) => examplesIn(s.operations).map((e) => ({ ...e, owner: s.slug }))),
].sort((a, b) => (a.name < b.name ? -1 : 1));

let app: TestApp;
let http: Server;
let baseUrl: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  // As `npm start` serves it: every service, the embedded demo's analyst viewer (smaller, for speed).
  await seedDemo(db, allServices, 0.005);
  app = testApp(db, { services: allServices, viewer: ANALYST });
  http = createServer(createApp({ db, services: allServices, defaultViewer: ANALYST }));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await app?.db.close();
});

async function failedMusts(audits: ReturnType<typeof serverAudits>): Promise<string[]> {
  const musts = audits.filter((a) => a.name.startsWith('MUST'));
  expect(musts.length).toBeGreaterThanOrEqual(13); // graphql-http 1.23 has 13
  const results: AuditResult[] = [];
  for (const audit of musts) results.push(await audit.fn());
  return results.flatMap((r) => (r.status === 'ok' ? [] : [`${r.name}: ${r.reason}`]));
}

describe('GraphQL over HTTP', () => {
  it('passes every MUST audit of graphql-http in-process', async () => {
    const fetchFn = (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      return app.fetch(url.pathname + url.search, init);
    };
    expect(await failedMusts(serverAudits({ url: 'http://cype.test/graphql', fetchFn }))).toEqual([]);
  });

  it('passes every MUST audit of graphql-http over a real HTTP server', async () => {
    expect(await failedMusts(serverAudits({ url: `${baseUrl}/graphql` }))).toEqual([]);
  });
});

describe('example operations', () => {
  const files = declared.map((e) => e.file);

  it('are all loaded for GraphiQL, core’s and every plugin’s, ordered by name', () => {
    expect(declared.filter((e) => e.owner === 'core').length).toBeGreaterThan(0);
    // Every service shows at least one of its own.
    for (const s of allServices) expect(declared.filter((e) => e.owner === s.slug).length, s.slug).toBeGreaterThan(0);
    expect(exampleOperations(allServices).map((e) => e.name)).toEqual(declared.map((e) => e.name));
  });

  it('of a disabled plugin are not loaded: core’s and the enabled plugins’ only', () => {
    for (const s of allServices) {
      const expected = declared.filter((e) => e.owner === 'core' || e.owner === s.slug).map((e) => e.name);
      expect(exampleOperations([s]).map((e) => e.name)).toEqual(expected);
    }
    expect(exampleOperations([]).map((e) => e.name)).toEqual(
      declared.filter((e) => e.owner === 'core').map((e) => e.name),
    );
  });

  it.each(declared.map((e) => [e.name, e.owner, e.file]))(
    '%s (%s) is valid against core and its own plugin alone: it lives with what it reads',
    (_name, owner, file) => {
      const schema = buildSchema(allServices.filter((s) => s.slug === owner));
      const errors = validate(schema, parse(fs.readFileSync(file, 'utf8'))).map((e) => e.message);
      expect(errors).toEqual([]);
    },
  );

  it.each(declared.map((e) => [path.relative(ROOT, e.file), e.file]))(
    '%s is one named operation (fragments allowed) with a comment saying what it answers, and runs on the demo',
    async (_relative, f) => {
      const text = fs.readFileSync(f, 'utf8');
      expect(text).toMatch(/^# \S.{10,}/);
      const doc = parse(text);
      // One operation (GraphiQL runs a tab's only operation), with fragments if it needs them.
      const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(ops).toHaveLength(1);
      expect(
        doc.definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION),
      ).toBe(true);
      const [op] = ops;
      expect(op.kind === Kind.OPERATION_DEFINITION && op.name?.value).toBeTruthy();

      // Variables, if any, must have defaults: GraphiQL opens the tab with an empty variables pane.
      const r = await app.gql(text);
      expect(r.errors).toBeUndefined();
      const data = r.data as Record<string, unknown>;
      expect(Object.keys(data).length).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(data)) {
        expect(value, field).not.toBeNull();
        if (Array.isArray(value)) expect(value.length, field).toBeGreaterThan(0);
      }
    },
  );

  it('open as GraphiQL tabs, served without any CDN', async () => {
    const res = await app.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    const tabs = /"defaultTabs":(\[.*?\])(?:,"|\})/s.exec(html);
    expect(tabs).not.toBeNull();
    const queries = (JSON.parse(tabs![1]) as { query: string }[]).map((t) => t.query);
    expect(queries).toEqual(files.map((f) => fs.readFileSync(f, 'utf8')));
    // The machines this runs on reach the npm registry only: GraphiQL must not load from a CDN.
    expect(html).not.toMatch(/<script[^>]+src=["']?https?:|<link[^>]+href=["']?https?:/);
  });
});

describe('/healthz', () => {
  it('answers {"status":"ok"} while the database answers (and that no Redis is configured)', async () => {
    const res = await app.fetch('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', redis: 'off' });
    expect((await app.fetch('/healthz', { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 when no PostgreSQL server listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const db = await openDatabase({ url: `postgresql://postgres@127.0.0.1:${port}/nothing` });
    try {
      const res = await createApp({ db, services: [] }).fetch('http://cype.test/healthz');
      expect(res.status).toBe(503);
      expect((await res.json()).status).toBe('unavailable');
    } finally {
      await db.close();
    }
  });

  it('answers 503 when the server accepts connections but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const { port } = silent.address() as AddressInfo;
    const db = await openDatabase({ url: `postgresql://postgres@127.0.0.1:${port}/silent` });
    try {
      const res = await createApp({ db, services: [], healthTimeoutMs: 300 }).fetch('http://cype.test/healthz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', error: 'no answer within 300 ms' });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await db.close().catch(() => {});
    }
  });

  // Last: it closes this file's database (afterAll's close is then a no-op).
  it('answers 503 once the database is closed', async () => {
    expect((await app.fetch('/healthz')).status).toBe(200);
    await app.db.close();
    const res = await app.fetch('/healthz');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).not.toBe('ok');
    expect(body.error).not.toMatch(/\n/);
  });
});
