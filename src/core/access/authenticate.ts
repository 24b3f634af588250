// From an Authorization header to a Viewer, or a CredentialError whose message says what is wrong with the
// credential (the HTTP layer answers 401 with it). A key's row is read on every request, so a revocation
// or expiry takes effect at once; only the scrypt check is remembered, per key and exact key text.
import type { Database } from '../../db.js';
import { CredentialError, type JwtVerifier } from './jwt.js';
import { keyDigest, parseKey, verifySecret } from './keys.js';
import { allowedOperations, type PartnerOperation } from './operations.js';
import type { Viewer } from './viewer.js';

export { CredentialError };

const LAST_USED_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;

export interface AuthenticatorOptions {
  db: Database;
  jwt?: JwtVerifier;
  partnerOperations: PartnerOperation[];
  now?: () => Date;
}

export type Authenticator = (authorization: string) => Promise<Viewer>;

export function createAuthenticator({
  db,
  jwt,
  partnerOperations,
  now = () => new Date(),
}: AuthenticatorOptions): Authenticator {
  const verified = new Map<string, string>();
  const lastUsedWritten = new Map<string, number>();

  async function fromKey(token: string): Promise<Viewer> {
    const parsed = parseKey(token);
    if (!parsed) throw new CredentialError('malformed API key: expected cype_<12 characters>_<43 characters>');
    const row = await db.prisma.apiKey.findUnique({ where: { id: parsed.id } });
    const digest = keyDigest(token);
    if (!row) throw new CredentialError('unknown API key');
    if (verified.get(row.id) !== digest) {
      if (!(await verifySecret(parsed.secret, row.secretHash))) throw new CredentialError('unknown API key');
      if (verified.size >= MAX_CACHED) verified.clear();
      verified.set(row.id, digest);
    }
    // Only the key's holder (who proved the secret) learns that it was revoked or expired.
    if (row.revokedAt) throw new CredentialError(`API key ${row.id} was revoked on ${row.revokedAt.toISOString()}`);
    const at = now();
    if (row.expiresAt && row.expiresAt <= at) {
      throw new CredentialError(`API key ${row.id} expired on ${row.expiresAt.toISOString()}`);
    }
    const last = lastUsedWritten.get(row.id) ?? 0;
    if (at.getTime() - last >= LAST_USED_EVERY_MS) {
      lastUsedWritten.set(row.id, at.getTime());
      await db.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: at } });
    }
    return {
      role: row.role,
      services: row.services,
      name: row.name,
      via: 'key',
      keyId: row.id,
      operations: row.role === 'PARTNER' ? allowedOperations(partnerOperations, row) : undefined,
    };
  }

  return async (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new CredentialError('the Authorization header must be "Bearer <API key or JWT>"');
    const token = m[1];
    if (token.startsWith('cype_')) return fromKey(token);
    if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
      if (!jwt) {
        throw new CredentialError(
          'this server accepts no JWTs (neither CYPE_JWT_PUBLIC_KEY nor CYPE_JWT_JWKS_FILE is set); use an API key',
        );
      }
      const viewer = await jwt(token);
      return {
        ...viewer,
        operations: viewer.role === 'PARTNER' ? allowedOperations(partnerOperations, viewer) : undefined,
      };
    }
    throw new CredentialError('malformed credential: expected an API key (cype_...) or a JWT');
  };
}
