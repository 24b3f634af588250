// Bearer JWTs from the council's identity provider, verified with `jose` against a configured public key
// (CYPE_JWT_PUBLIC_KEY: PEM text or a file) or a JWKS file (CYPE_JWT_JWKS_FILE). Never fetched over the
// network: the key material is configuration. Claims: `role`, `services` (array or comma list),
// `operations` (partners), `sub` or `name`.
import fs from 'node:fs';
import { createLocalJWKSet, errors, importSPKI, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ROLES } from './scopes.js';
import type { Role, Viewer } from './viewer.js';

export interface JwtOptions {
  /** PEM (SPKI) public key text. */
  publicKey?: string;
  /** A JSON Web Key Set (parsed). */
  jwks?: { keys: object[] };
  /** Algorithms accepted with `publicKey` (default RS256). */
  algorithms?: string[];
  issuer?: string;
  audience?: string;
}

export class CredentialError extends Error {}

export function jwtOptionsFromEnv(env: Record<string, string | undefined> = process.env): JwtOptions | undefined {
  const read = (v: string) => (v.trim().startsWith('-----BEGIN') ? v : fs.readFileSync(v, 'utf8'));
  const publicKey = env.CYPE_JWT_PUBLIC_KEY ? read(env.CYPE_JWT_PUBLIC_KEY) : undefined;
  const jwks = env.CYPE_JWT_JWKS_FILE ? JSON.parse(fs.readFileSync(env.CYPE_JWT_JWKS_FILE, 'utf8')) : undefined;
  if (!publicKey && !jwks) return undefined;
  return {
    publicKey,
    jwks,
    algorithms: env.CYPE_JWT_ALGORITHMS?.split(',').map((a) => a.trim()),
    issuer: env.CYPE_JWT_ISSUER || undefined,
    audience: env.CYPE_JWT_AUDIENCE || undefined,
  };
}

function list(claim: unknown, name: string): string[] {
  if (claim === undefined || claim === null) return [];
  if (typeof claim === 'string') {
    return claim
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Array.isArray(claim) && claim.every((s) => typeof s === 'string')) return claim;
  throw new CredentialError(`JWT claim "${name}" must be a list of strings`);
}

export type JwtVerifier = (token: string) => Promise<Omit<Viewer, 'operations'> & { operations: string[] }>;

export async function createJwtVerifier(options: JwtOptions): Promise<JwtVerifier> {
  const algorithms = options.algorithms ?? ['RS256'];
  let key: JWTVerifyGetKey | CryptoKey;
  if (options.jwks) key = createLocalJWKSet(options.jwks as Parameters<typeof createLocalJWKSet>[0]);
  else if (options.publicKey) key = await importSPKI(options.publicKey, algorithms[0]);
  else throw new Error('JWT verification needs a public key or a JWKS');
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        algorithms: options.jwks ? undefined : algorithms,
        issuer: options.issuer,
        audience: options.audience,
        // A token without an expiry would be a key that cannot be revoked.
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new CredentialError(`the JWT expired (exp ${expiry(e.payload)})`);
      if (e instanceof errors.JWTClaimValidationFailed) {
        throw new CredentialError(`the JWT's "${e.claim}" claim is not accepted: ${e.reason}`);
      }
      if (e instanceof errors.JOSEError) throw new CredentialError(`the JWT is not valid: ${e.message}`);
      throw e;
    }
    const role = payload.role;
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) {
      throw new CredentialError(`the JWT's "role" claim must be one of ${ROLES.join(', ')}`);
    }
    const name = typeof payload.name === 'string' ? payload.name : payload.sub;
    if (!name) throw new CredentialError('the JWT has neither a "sub" nor a "name" claim');
    return {
      role: role as Role,
      services: list(payload.services, 'services'),
      operations: list(payload.operations, 'operations'),
      name: `jwt:${name}`,
      via: 'jwt',
    };
  };
}

function expiry(payload: JWTPayload): string {
  return typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'unknown';
}
