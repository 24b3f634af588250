// API keys: `cype_<id>_<secret>`, 32 random bytes of secret, shown once and stored only as a scrypt hash.
// The id is public (it finds the row without a scan); the secret is compared in constant time. Used by
// `cype keys` and by request authentication.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db.js';
import { ROLES } from './scopes.js';
import type { Role } from './viewer.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, ~50 ms): OWASP's minimum, on a 256-bit random secret. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const MAX_MEM = 64 * 1024 * 1024;

export const KEY_PATTERN = /^cype_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function scryptAsync(secret: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, length, { ...params, maxmem: MAX_MEM }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, SCRYPT, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Checks a secret against a stored `scrypt$N$r$p$salt$hash`; false for any other format. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(
    secret,
    Buffer.from(salt, 'base64url'),
    { N: Number(n), r: Number(r), p: Number(p) },
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

export function parseKey(token: string): { id: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

/** A digest of the whole key, for the in-memory cache of verified keys (never stored). */
export function keyDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('');
}

export interface NewKey {
  name: string;
  role: Role;
  services?: string[];
  operations?: string[];
  expiresAt?: Date | null;
}

export interface KeyRow {
  id: string;
  name: string;
  role: Role;
  services: string[];
  operations: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Why a key request is invalid, naming the option at fault; undefined when it is fine. */
export function keyProblem(
  k: NewKey,
  known: { services: string[]; operations: string[] },
): { option: string; message: string } | undefined {
  if (!k.name.trim()) return { option: 'name', message: 'a key needs a name (who or what it is for)' };
  if (!ROLES.includes(k.role))
    return { option: 'role', message: `role must be one of ${ROLES.join(', ')}; got "${k.role}"` };
  const services = k.services ?? [];
  const unknownServices = services.filter((s) => !known.services.includes(s));
  if (unknownServices.length) {
    return {
      option: 'services',
      message: `unknown services: ${unknownServices.join(', ')} (available: ${known.services.join(', ') || 'none'})`,
    };
  }
  if (k.role === 'SERVICE_ANALYST' && services.length === 0) {
    return {
      option: 'services',
      message: 'a SERVICE_ANALYST key needs --services (the services whose records it reads)',
    };
  }
  const operations = k.operations ?? [];
  if (operations.length && k.role !== 'PARTNER') {
    return { option: 'operations', message: 'only PARTNER keys have an allow-list of operations' };
  }
  const unknownOps = operations.filter((o) => !known.operations.includes(o));
  if (unknownOps.length) {
    return {
      option: 'operations',
      message: `unknown partner operations: ${unknownOps.join(', ')} (available: ${known.operations.join(', ') || 'none'})`,
    };
  }
  if (k.expiresAt && Number.isNaN(k.expiresAt.getTime())) return { option: 'expires', message: 'not a valid date' };
  return undefined;
}

/** Creates a key; returns its row and the key itself, which is not stored and cannot be shown again. */
export async function createKey(db: Database, k: NewKey): Promise<{ key: string; row: KeyRow }> {
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  const row = await db.prisma.apiKey.create({
    data: {
      id,
      name: k.name.trim(),
      role: k.role,
      services: k.services ?? [],
      operations: k.operations ?? [],
      secretHash: await hashSecret(secret),
      expiresAt: k.expiresAt ?? null,
    },
    omit: { secretHash: true },
  });
  return { key: `cype_${id}_${secret}`, row };
}

export async function listKeys(db: Database): Promise<KeyRow[]> {
  return db.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' }, omit: { secretHash: true } });
}

/** Revokes a key; returns false when there is no such key, the row when it was revoked now or before. */
export async function revokeKey(db: Database, id: string): Promise<KeyRow | undefined> {
  const found = await db.prisma.apiKey.findUnique({ where: { id }, omit: { secretHash: true } });
  if (!found) return undefined;
  if (found.revokedAt) return found;
  return db.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, omit: { secretHash: true } });
}
