// `cype keys create|list|revoke|operations`: API keys for the store the server uses (CYPE_DATA_DIR or
// DATABASE_URL). `create` prints the new key alone on its last line (scripts take `| tail -n 1`); it is
// stored only as a hash, so it cannot be shown again.
import type { Command } from 'commander';
import { createKey, type KeyRow, keyProblem, listKeys, revokeKey } from '../core/access/keys.js';
import { loadPartnerOperations } from '../core/access/operations.js';
import { ROLES } from '../core/access/scopes.js';
import type { Role } from '../core/access/viewer.js';
import { type Database, openDatabase } from '../db.js';
import { enabledServices } from '../schema.js';

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `2027-03-31` (end of that day, UTC), or `90d` from now. */
export function parseExpiry(value: string, now = new Date()): Date {
  const days = /^(\d+)d$/.exec(value);
  if (days) return new Date(now.getTime() + Number(days[1]) * 86_400_000);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T23:59:59.999Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value) return d;
  }
  throw new Error(`--expires must be a date YYYY-MM-DD or a number of days like 90d; got "${value}"`);
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ migrate: true, owner: 'cype keys' });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function describe(k: KeyRow): string {
  const state = k.revokedAt
    ? `revoked ${k.revokedAt.toISOString()}`
    : k.expiresAt && k.expiresAt <= new Date()
      ? `expired ${k.expiresAt.toISOString()}`
      : 'active';
  return [
    k.id,
    k.role,
    JSON.stringify(k.name),
    `services=${k.services.join(',') || 'all'}`,
    ...(k.role === 'PARTNER' ? [`operations=${k.operations.join(',') || 'all of its services'}`] : []),
    `created=${k.createdAt.toISOString()}`,
    `lastUsed=${k.lastUsedAt?.toISOString() ?? 'never'}`,
    `expires=${k.expiresAt?.toISOString() ?? 'never'}`,
    state,
  ].join('  ');
}

export function registerKeysCommand(program: Command) {
  const keys = program.command('keys').description('API keys: create (shown once), list, revoke; partner operations.');

  keys
    .command('create')
    .description('Create an API key; the key is printed alone on the last line and never shown again.')
    .requiredOption('--name <name>', 'who or what the key is for, e.g. "Kent Police data team"')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--services <slugs>', 'comma-separated services: a service analyst’s records, a partner’s operations')
    .option('--operations <names>', 'PARTNER only: the partner operations it may run (default: all of its services)')
    .option('--expires <when>', 'a date YYYY-MM-DD or a number of days like 90d (default: never)')
    .action(async (opts: { name: string; role: string; services?: string; operations?: string; expires?: string }) => {
      const request = {
        name: opts.name,
        role: opts.role.toUpperCase() as Role,
        services: list(opts.services),
        operations: list(opts.operations),
        expiresAt: opts.expires ? parseExpiry(opts.expires) : null,
      };
      const problem = keyProblem(request, {
        services: enabledServices().map((s) => s.slug),
        operations: loadPartnerOperations(enabledServices()).map((o) => o.name),
      });
      if (problem) throw new Error(`--${problem.option}: ${problem.message}`);
      await withDb(async (db) => {
        const { key, row } = await createKey(db, request);
        console.log(`Created ${describe(row)}`);
        console.log('Store this key now: it is kept only as a hash and cannot be shown again.');
        console.log(key);
      });
    });

  keys
    .command('list')
    .description('Every key: id, role, name, services, created, last used, expiry, state (never the key).')
    .action(async () => {
      await withDb(async (db) => {
        const rows = await listKeys(db);
        if (rows.length === 0) console.log('No API keys yet (`cype keys create --name … --role …`).');
        for (const k of rows) console.log(describe(k));
      });
    });

  keys
    .command('revoke')
    .argument('<id>', 'the key’s id (the part after cype_, as `keys list` shows it)')
    .description('Revoke a key: every request with it is refused from now on.')
    .action(async (id: string) => {
      await withDb(async (db) => {
        const row = await revokeKey(db, id);
        if (!row) throw new Error(`No API key with id "${id}" (\`cype keys list\` shows them).`);
        console.log(`Revoked ${describe(row)}`);
      });
    });

  keys
    .command('operations')
    .description('The partner operations: name, services, documentId (sha256) and what each answers.')
    .action(() => {
      const ops = loadPartnerOperations(enabledServices());
      if (ops.length === 0) {
        console.log('No partner operations (schema/operations/partners/, services/<slug>/operations/partners/).');
      }
      for (const op of ops) {
        console.log(`${op.name}  services=${op.services?.join(',') ?? 'all'}  documentId=${op.hash}`);
        console.log(`  ${op.description}`);
      }
    });
}
