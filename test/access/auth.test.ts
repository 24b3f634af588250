// Authentication and the HTTP guards: API keys and JWTs (valid, revoked, malformed, unknown, expired),
// requests without credentials (401, PUBLIC, the demo's default), per-key rate limits (memory, Redis),
// CSRF prevention, introspection for analysts only, and the body size limit.
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { parseKey, revokeKey } from '../../src/core/access/keys.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { type AccessTestApp, accessApp, makeKey, UNLIMITED_RATE } from './helpers.js';

let db: Database;
let app: AccessTestApp;
const VIEWER = '{ viewer { role name services disclosureControl } }';

beforeAll(async () => {
  db = await createTestDatabase();
  app = accessApp(db, { access: { publicAccess: false, jwt: false, limits: UNLIMITED_RATE } });
});
afterAll(async () => {
  await app?.dispose();
  await db?.close();
});

function expect401(
  r: { status: number; body: { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown } },
  says: RegExp,
) {
  expect(r.status).toBe(401);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(r.body.errors?.[0].message).toMatch(says);
}

describe('API keys', () => {
  it('authenticate each role, with disclosure control on for partners and the public', async () => {
    for (const [role, services] of [
      ['DIRECTORATE_ANALYST', []],
      ['SERVICE_ANALYST', ['send']],
      ['PUBLIC', []],
    ] as const) {
      const key = await makeKey(db, { role, services: [...services], name: `${role} key` });
      const r = await app.post({ query: VIEWER }, key);
      expect(r.status).toBe(200);
      expect(r.body.data.viewer).toEqual({
        role,
        name: `${role} key`,
        services,
        disclosureControl: role === 'PUBLIC',
      });
    }
  });

  it('record when each key was last used, and never store the key', async () => {
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST', name: 'last used' });
    const { id, secret } = parseKey(key)!;
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull();
    const before = Date.now();
    await app.post({ query: VIEWER }, key);
    const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('refuse a revoked key from the next request on, saying so', async () => {
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST' });
    expect((await app.post({ query: VIEWER }, key)).status).toBe(200);
    await revokeKey(db, parseKey(key)!.id);
    expect401(await app.post({ query: VIEWER }, key), /API key \w{12} was revoked on \d{4}-/);
  });

  it('refuse an expired key, saying when it expired', async () => {
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST', expiresAt: new Date(Date.now() - 60_000) });
    expect401(await app.post({ query: VIEWER }, key), /API key \w{12} expired on \d{4}-/);
    const later = await makeKey(db, { role: 'DIRECTORATE_ANALYST', expiresAt: new Date(Date.now() + 3_600_000) });
    expect((await app.post({ query: VIEWER }, later)).status).toBe(200);
  });

  it('refuse unknown keys and wrong secrets alike, and malformed credentials by shape', async () => {
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST' });
    const { id, secret } = parseKey(key)!;
    const otherSecret = secret.startsWith('A') ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;
    expect401(await app.post({ query: VIEWER }, `cype_${id}_${otherSecret}`), /unknown API key/);
    expect401(await app.post({ query: VIEWER }, `cype_zzzzzzzzzzzz_${secret}`), /unknown API key/);
    expect401(await app.post({ query: VIEWER }, `cype_${id}`), /malformed API key/);
    expect401(await app.post({ query: VIEWER }, 'hunter2'), /malformed credential/);
    expect401(
      await app.post({ query: VIEWER }, undefined, { authorization: `Basic ${btoa('a:b')}` }),
      /must be "Bearer/,
    );
    expect401(await app.post({ query: VIEWER }, undefined, { authorization: 'Bearer' }), /must be "Bearer/);
    // A valid key keeps working after all that.
    expect((await app.post({ query: VIEWER }, key)).status).toBe(200);
  });

  it('answer 401 with WWW-Authenticate and no data even for a query that needs nothing', async () => {
    const r = await app.post({ query: '{ __typename }' }, 'cype_nope');
    expect401(r, /malformed/);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe('without credentials', () => {
  it('a server with no default viewer answers 401, naming how to authenticate', async () => {
    const r = await app.post({ query: VIEWER });
    expect401(r, /needs credentials \(Authorization: Bearer/);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect((await app.fetch('/export/indicators.csv?codes=X')).status).toBe(401);
  });

  it('CYPE_PUBLIC_ACCESS=on makes them PUBLIC, under disclosure control', async () => {
    const open = accessApp(db, { access: { publicAccess: true, jwt: false, limits: UNLIMITED_RATE } });
    const r = await open.post({ query: VIEWER });
    expect(r.body.data.viewer).toEqual({ role: 'PUBLIC', name: 'public', services: [], disclosureControl: true });
    // Credentials, when sent, still have to be valid.
    expect401(await open.post({ query: VIEWER }, 'cype_nope'), /malformed/);
    await open.dispose();
    const previous = process.env.CYPE_PUBLIC_ACCESS;
    process.env.CYPE_PUBLIC_ACCESS = 'on';
    try {
      const fromEnv = accessApp(db, { access: { jwt: false } });
      expect((await fromEnv.post({ query: VIEWER })).body.data.viewer.role).toBe('PUBLIC');
      await fromEnv.dispose();
    } finally {
      if (previous === undefined) delete process.env.CYPE_PUBLIC_ACCESS;
      else process.env.CYPE_PUBLIC_ACCESS = previous;
    }
  });

  it('the embedded demo’s default viewer is an analyst', async () => {
    const demo = accessApp(db, { viewer: ANALYST, access: { jwt: false } });
    expect((await demo.post({ query: VIEWER })).body.data.viewer).toMatchObject({ role: 'DIRECTORATE_ANALYST' });
    await demo.dispose();
  });
});

describe('JWTs', () => {
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwtApp: AccessTestApp;
  const sign = (claims: Record<string, unknown>, exp: string | number = '5m', key = pair.privateKey) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.kent.test');
    if (exp !== 0) jwt.setExpirationTime(exp);
    return jwt.setIssuedAt().sign(key);
  };

  beforeAll(async () => {
    pair = await generateKeyPair('RS256', { extractable: true });
    jwtApp = accessApp(db, {
      access: {
        jwt: { publicKey: await exportSPKI(pair.publicKey), issuer: 'https://idp.kent.test' },
        limits: UNLIMITED_RATE,
      },
    });
  });
  afterAll(() => jwtApp?.dispose());

  it('carry role and services in their claims', async () => {
    const token = await sign({ sub: 'a.analyst', role: 'SERVICE_ANALYST', services: ['send', 'early-years'] });
    const r = await jwtApp.post({ query: VIEWER }, token);
    expect(r.status).toBe(200);
    expect(r.body.data.viewer).toEqual({
      role: 'SERVICE_ANALYST',
      name: 'jwt:a.analyst',
      services: ['send', 'early-years'],
      disclosureControl: false,
    });
  });

  it('are refused when expired, forged, from another issuer, without expiry or without a role', async () => {
    expect401(await jwtApp.post({ query: VIEWER }, await sign({ sub: 'x', role: 'PUBLIC' }, '-1m')), /JWT expired/);
    const other = await generateKeyPair('RS256');
    expect401(
      await jwtApp.post({ query: VIEWER }, await sign({ sub: 'x', role: 'PUBLIC' }, '5m', other.privateKey)),
      /JWT is not valid: signature verification failed/,
    );
    const foreign = await new SignJWT({ sub: 'x', role: 'PUBLIC' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://elsewhere.test')
      .setExpirationTime('5m')
      .sign(pair.privateKey);
    expect401(await jwtApp.post({ query: VIEWER }, foreign), /"iss" claim/);
    expect401(await jwtApp.post({ query: VIEWER }, await sign({ sub: 'x', role: 'PUBLIC' }, 0)), /"exp" claim/);
    expect401(
      await jwtApp.post({ query: VIEWER }, await sign({ sub: 'x', role: 'ROOT' })),
      /"role" claim must be one of/,
    );
    expect401(await jwtApp.post({ query: VIEWER }, 'eyJ.eyJ.sig'), /JWT is not valid/);
  });

  it('verify against a JWKS file’s keys too', async () => {
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    const jwks = accessApp(db, { access: { jwt: { jwks: { keys: [jwk] } }, limits: UNLIMITED_RATE } });
    const r = await jwks.post({ query: VIEWER }, await sign({ sub: 'p', role: 'DIRECTORATE_ANALYST' }));
    expect(r.body.data.viewer.role).toBe('DIRECTORATE_ANALYST');
    await jwks.dispose();
  });

  it('are refused with a clear message by a server configured for none', async () => {
    expect401(await app.post({ query: VIEWER }, await sign({ sub: 'x', role: 'PUBLIC' })), /accepts no JWTs/);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After once a key has used its allowance, per key', async () => {
    const limited = accessApp(db, {
      access: { jwt: false, limits: { ratePerWindow: { PARTNER: 3, PUBLIC: 2 }, rateWindowSeconds: 60 } },
    });
    const a = await makeKey(db, { role: 'PUBLIC' });
    const b = await makeKey(db, { role: 'PUBLIC' });
    expect((await limited.post({ query: VIEWER }, a)).status).toBe(200);
    expect((await limited.post({ query: VIEWER }, a)).status).toBe(200);
    const r = await limited.post({ query: VIEWER }, a);
    expect(r.status).toBe(429);
    const retry = Number(r.headers.get('retry-after'));
    expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(r.body.errors[0].message).toMatch(/2 requests per 60 s.*retry after \d+ s/);
    expect((await limited.post({ query: VIEWER }, b)).status).toBe(200);
    await limited.dispose();
  });

  it('slow down repeated failed authentications from one address', async () => {
    const limited = accessApp(db, { access: { jwt: false, limits: { authFailuresPerWindow: 3 } } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.post({ query: VIEWER }, `cype_guess${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    await limited.dispose();
  });

  it('fall back to counting in memory when Redis cannot be reached', async () => {
    const limited = accessApp(db, {
      access: { jwt: false, redisUrl: 'redis://127.0.0.1:1', limits: { ratePerWindow: { PUBLIC: 2 } } },
    });
    const key = await makeKey(db, { role: 'PUBLIC' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await limited.post({ query: VIEWER }, key)).status);
    expect(statuses).toEqual([200, 200, 429]);
    await limited.dispose();
  });

  it.runIf(process.env.REDIS_URL)('are shared by every replica through Redis (REDIS_URL)', async () => {
    const opts = { jwt: false as const, redisUrl: process.env.REDIS_URL, limits: { ratePerWindow: { PUBLIC: 3 } } };
    const replicaA = accessApp(db, { access: opts });
    const replicaB = accessApp(db, { access: opts });
    const key = await makeKey(db, { role: 'PUBLIC' });
    // Let both connect first: until then the memory insurance counts, per replica.
    await new Promise((r) => setTimeout(r, 300));
    const statuses = [
      (await replicaA.post({ query: VIEWER }, key)).status,
      (await replicaB.post({ query: VIEWER }, key)).status,
      (await replicaA.post({ query: VIEWER }, key)).status,
      (await replicaB.post({ query: VIEWER }, key)).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 429]);
    await replicaA.dispose();
    await replicaB.dispose();
  });
});

describe('browser-facing guards', () => {
  it('refuse simple cross-site requests (GET, multipart, form) without a CSRF header or credentials', async () => {
    const demo = accessApp(db, { viewer: ANALYST, access: { jwt: false, limits: UNLIMITED_RATE } });
    const get = await demo.fetch(`/graphql?query=${encodeURIComponent('{ viewer { role } }')}`);
    expect(get.status).toBe(403);
    expect(get.body.errors[0].message).toMatch(/CSRF/);
    const withHeader = await demo.fetch(`/graphql?query=${encodeURIComponent('{ viewer { role } }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(withHeader.body.data.viewer.role).toBe('DIRECTORATE_ANALYST');
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ viewer { role } }' }));
    form.append('map', '{}');
    expect((await demo.fetch('/graphql', { method: 'POST', body: form })).status).toBe(403);
    // A bearer credential cannot be attached by another site without a CORS preflight.
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST' });
    const withKey = await demo.fetch('/graphql', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.status).toBe(200);
    await demo.dispose();
  });

  it('allow introspection to analysts only', async () => {
    const query = '{ __schema { queryType { name } } }';
    const analyst = await makeKey(db, { role: 'SERVICE_ANALYST', services: ['send'] });
    expect((await app.post({ query }, analyst)).body.data.__schema.queryType.name).toBe('Query');
    for (const role of ['PUBLIC'] as const) {
      const r = await app.post({ query: '{ __type(name: "Query") { name } }' }, await makeKey(db, { role }));
      expect(r.status).toBe(400);
      expect(r.body.errors[0].message).toMatch(/introspection/i);
    }
    // __typename is not introspection.
    expect((await app.post({ query: '{ __typename }' }, await makeKey(db, { role: 'PUBLIC' }))).body.data).toEqual({
      __typename: 'Query',
    });
  });

  it('do not suggest field names to non-analysts', async () => {
    const r = await app.post({ query: '{ viewr { role } }' }, await makeKey(db, { role: 'PUBLIC' }));
    expect(r.body.errors[0].message).toContain('Cannot query field "viewr"');
    expect(r.body.errors[0].message).not.toContain('Did you mean');
  });

  it('cap the body of a GraphQL request, with or without Content-Length', async () => {
    const key = await makeKey(db, { role: 'DIRECTORATE_ANALYST' });
    const limit = 256 * 1024;
    const big = JSON.stringify({ query: VIEWER, variables: { pad: 'x'.repeat(limit) } });
    const r = await app.post(big, key);
    expect(r.status).toBe(413);
    expect(r.body.errors[0].message).toContain(`over the limit of ${limit} bytes`);
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 16_384) c.enqueue(bytes.slice(i, i + 16_384));
        c.close();
      },
    });
    const chunked = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: stream,
      // @ts-expect-error Node's fetch needs duplex for a streamed body.
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect((await app.post({ query: VIEWER, variables: { pad: 'x'.repeat(1000) } }, key)).status).toBe(200);
  });
});
