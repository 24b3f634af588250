// Issue #15, finding 10: NUL characters in any argument are the caller's error (naming the argument),
// suggestions are for analysts only, the audit log's largest page fits the cost limit, partners may send
// `GET ?documentId=`, and JWTs that live longer than CYPE_JWT_MAX_LIFETIME are refused.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AUDIT_PAGE } from '../../src/core/access/graphql.js';
import { jwtOptionsFromEnv, parseLifetime } from '../../src/core/access/jwt.js';
import { loadPartnerOperations } from '../../src/core/access/operations.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';
import { type AccessTestApp, accessApp, makeKey, UNLIMITED_RATE } from './helpers.js';

let db: Database;
let app: AccessTestApp;
let analyst: string;
let publicKey: string;
beforeAll(async () => {
  db = await createTestDatabase();
  app = accessApp(db, { access: { publicAccess: false, jwt: false, limits: UNLIMITED_RATE } });
  analyst = await makeKey(db, { role: 'DIRECTORATE_ANALYST' });
  publicKey = await makeKey(db, { role: 'PUBLIC' });
});
afterAll(async () => {
  await app?.dispose();
  await db?.close();
});

const NUL = '\u0000';

describe('NUL characters', () => {
  it('in a literal or a variable of any argument are BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, Record<string, unknown> | undefined, string][] = [
      ['{ area(code: "E1\\u0000") { code } }', undefined, 'code'],
      ['query ($c: String!) { area(code: $c) { code } }', { c: `E1${NUL}` }, 'code'],
      ['query ($k: String) { auditLog(keyId: $k) { id } }', { k: `k${NUL}` }, 'keyId'],
      ['{ auditLog(keyId: "\\u0000") { id } }', undefined, 'keyId'],
      ['query ($f: String) { imports(format: $f) { id } }', { f: `core/people${NUL}` }, 'format'],
    ];
    for (const [query, variables, argument] of cases) {
      const r = await app.post({ query, variables }, analyst);
      expect(r.body.errors, query).toHaveLength(1);
      expect(r.body.errors[0].extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(r.body.errors[0].message).toContain(`argument ${argument}`);
      expect(r.body.errors[0].message).toContain('NUL');
    }
  });
});

describe('suggestions', () => {
  const badEnum = '{ areas(level: LOCAL_AUTHORITI) { code } }';
  const badField = '{ viewr { role } }';
  it('are hidden from PUBLIC, for fields and enum values, literal or variable', async () => {
    for (const query of [badEnum, badField]) {
      const r = await app.post({ query }, publicKey);
      expect(r.body.errors.length).toBeGreaterThan(0);
      for (const e of r.body.errors) expect(e.message).not.toMatch(/Did you mean/);
    }
    const v = await app.post(
      { query: 'query ($l: AreaLevel) { areas(level: $l) { code } }', variables: { l: 'LOCAL_AUTHORITI' } },
      publicKey,
    );
    expect(v.body.errors[0].message).toContain('"LOCAL_AUTHORITI"');
    expect(v.body.errors[0].message).not.toMatch(/Did you mean/);
  });
  it('are shown to analysts', async () => {
    expect((await app.post({ query: badEnum }, analyst)).body.errors[0].message).toMatch(
      /Did you mean the enum value "LOCAL_AUTHORITY"/,
    );
    expect((await app.post({ query: badField }, analyst)).body.errors[0].message).toMatch(/Did you mean "viewer"/);
  });
});

describe('the audit log', () => {
  it(`fits the cost limit at its largest page (${MAX_AUDIT_PAGE}) with every field, and refuses more naming first`, async () => {
    const all =
      'id at keyId subject role operationName documentHash variables services recordCount records { type count }';
    const r = await app.post({ query: `{ auditLog(first: ${MAX_AUDIT_PAGE}) { ${all} } }` }, analyst);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.auditLog).toEqual([]);
    const two = await app.post(
      { query: `{ auditLog(first: ${MAX_AUDIT_PAGE}) { at records { type count } } }` },
      analyst,
    );
    expect(two.body.errors).toBeUndefined();
    const over = await app.post({ query: `{ auditLog(first: ${MAX_AUDIT_PAGE + 1}) { at } }` }, analyst);
    expect(over.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});

describe('GET ?documentId=', () => {
  it('runs a partner’s persisted operation like the extensions form', async () => {
    const partner = await makeKey(db, { role: 'PARTNER' });
    const op = loadPartnerOperations([])[0];
    const variables = JSON.stringify({
      area: 'E10000016',
      period: '2016|CY',
      key: 'x',
      with: 'x',
      code: 'X',
      dimension: 'SEX',
    });
    const get = (params: Record<string, string>) =>
      app.fetch(`/graphql?${new URLSearchParams({ ...params, variables })}`, {
        headers: { authorization: `Bearer ${partner}`, accept: 'application/json' },
      });
    const byId = await get({ documentId: op.hash });
    const byExtensions = await get({
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.hash } }),
    });
    expect(byExtensions.body.errors?.[0]?.extensions?.code).not.toBe('PERSISTED_OPERATIONS_ONLY');
    expect(byId.status).toBe(byExtensions.status);
    expect(byId.body).toEqual(byExtensions.body);
    const unknown = await get({ documentId: 'f'.repeat(64) });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_NOT_FOUND');
  });
});

describe('JWT lifetime', () => {
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwtApp: AccessTestApp;
  const sign = (exp: string | number, iat: boolean | number = true) => {
    const jwt = new SignJWT({ sub: 'x', role: 'PUBLIC' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime(exp);
    if (iat !== false) jwt.setIssuedAt(iat === true ? undefined : iat);
    return jwt.sign(pair.privateKey);
  };
  beforeAll(async () => {
    pair = await generateKeyPair('RS256');
    jwtApp = accessApp(db, {
      access: { jwt: { publicKey: await exportSPKI(pair.publicKey) }, limits: UNLIMITED_RATE },
    });
  });
  afterAll(() => jwtApp?.dispose());
  const query = { query: '{ viewer { role } }' };

  it('refuses a JWT expiring in 100 years, with or without iat, and accepts up to 24 h by default', async () => {
    for (const token of [await sign('100y'), await sign('100y', false), await sign('25h')]) {
      const r = await jwtApp.post(query, token);
      expect(r.status).toBe(401);
      expect(r.body.errors[0].message).toMatch(/longer than the 1 d this server accepts \(CYPE_JWT_MAX_LIFETIME\)/);
    }
    // Issued an hour ago for 24 h: 24 h in all.
    const now = Math.floor(Date.now() / 1000);
    for (const token of [await sign('24h'), await sign('23h', false), await sign(now + 23 * 3600, now - 3600)]) {
      expect((await jwtApp.post(query, token)).body.data?.viewer.role).toBe('PUBLIC');
    }
  });

  it('CYPE_JWT_MAX_LIFETIME sets the limit', async () => {
    expect(parseLifetime('90m')).toBe(5400);
    expect(parseLifetime('7d')).toBe(604_800);
    expect(parseLifetime('3600')).toBe(3600);
    expect(() => parseLifetime('forever')).toThrow(/CYPE_JWT_MAX_LIFETIME/);
    const pem = await exportSPKI(pair.publicKey);
    expect(jwtOptionsFromEnv({ CYPE_JWT_PUBLIC_KEY: pem, CYPE_JWT_MAX_LIFETIME: '1h' })?.maxLifetimeSeconds).toBe(3600);
    const short = accessApp(db, {
      access: { jwt: { publicKey: pem, maxLifetimeSeconds: 3600 }, limits: UNLIMITED_RATE },
    });
    expect((await short.post(query, await sign('2h'))).status).toBe(401);
    expect((await short.post(query, await sign('1h'))).status).toBe(200);
    await short.dispose();
  });
});
