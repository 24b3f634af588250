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
  /**
   * Longest lifetime accepted, in seconds: exp − iat, or exp − now for a token without iat (default
   * DEFAULT_JWT_MAX_LIFETIME_SECONDS; CYPE_JWT_MAX_LIFETIME). A longer-lived token is refused.
   */
  maxLifetimeSeconds?: number;
}

/** 24 hours: a token is a session, not a key (API keys are for long-lived access, and can be revoked). */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 24 * 3600;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `86400`, `3600s`, `90m`, `24h`, `7d` as seconds; throws naming CYPE_JWT_MAX_LIFETIME. */
export function parseLifetime(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  const seconds = m ? Number(m[1]) * UNITS[m[2] || 's'] : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new Error(
      `CYPE_JWT_MAX_LIFETIME must be a duration such as 3600, 90m, 24h or 7d (at least one second); got "${text}"`,
    );
  }
  return seconds;
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
    maxLifetimeSeconds: env.CYPE_JWT_MAX_LIFETIME?.trim() ? parseLifetime(env.CYPE_JWT_MAX_LIFETIME) : undefined,
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
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS;
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
    const lifetime = lifetimeOf(payload, Math.floor(Date.now() / 1000));
    if (lifetime > maxLifetime) {
      throw new CredentialError(
        `the JWT lives ${describeSeconds(lifetime)} (${typeof payload.iat === 'number' ? 'exp − iat' : 'exp − now, without iat'}), longer than the ${describeSeconds(maxLifetime)} this server accepts (CYPE_JWT_MAX_LIFETIME)`,
      );
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

/** exp − iat, or exp − now when the token has no (numeric) iat. */
function lifetimeOf(payload: JWTPayload, now: number): number {
  const exp = payload.exp as number; // required above
  return exp - (typeof payload.iat === 'number' ? payload.iat : now);
}

function describeSeconds(s: number): string {
  if (s % 86_400 === 0) return `${s / 86_400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  return `${s} s`;
}

function expiry(payload: JWTPayload): string {
  return typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'unknown';
}
