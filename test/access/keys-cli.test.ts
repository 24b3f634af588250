// `cype keys` as a separate process, the way an analyst runs it: `create` prints the key alone on its last
// line and stores only a scrypt hash; `list` shows every key without it; `revoke` takes effect on the next
// request; `operations` lists core's and the enabled plugins' partner operations. On a PGlite folder, or on
// a throwaway PostgreSQL database when TEST_DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { KEY_PATTERN, parseKey, verifySecret } from '../../src/core/access/keys.js';
import { CORE_OPERATIONS_DIR } from '../../src/core/access/operations.js';
import { type Database, openDatabase } from '../../src/db.js';
import { createServerDatabase, onPostgres } from '../harness.js';
import { accessApp, UNLIMITED_RATE } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
let env: Record<string, string>;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-keys-'));
  if (onPostgres) {
    const server = await createServerDatabase('cype_keys');
    env = { DATABASE_URL: server.url };
    drop = server.drop;
  } else env = { CYPE_DATA_DIR: path.join(dir, 'data') };
});
afterAll(async () => {
  await drop?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cype(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, CYPE_SERVICES: '', ...extraEnv };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', ...args], {
    cwd: ROOT,
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The store the CLI wrote, opened only while no CLI process runs (a PGlite folder has one owner). */
async function withStore<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.CYPE_DATA_DIR });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const VIEWER = '{ viewer { role name services } }';

describe('cype keys', () => {
  let key: string;
  let id: string;

  it('create prints the key alone on its last line and stores only a scrypt hash of it', async () => {
    const r = await cype(['create', '--name', 'Kent Police data team', '--role', 'partner', '--services', 'send']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    key = lines.at(-1) as string;
    expect(key).toMatch(KEY_PATTERN);
    id = parseKey(key)?.id as string;
    // Said once, alone: no other line holds the secret, and the line before says it cannot be shown again.
    expect(lines.slice(0, -1).join('\n')).not.toContain(parseKey(key)?.secret as string);
    expect(lines.slice(0, -1).join('\n')).toMatch(/cannot be shown again/);
    expect(lines[0]).toContain(id);
    await withStore(async (db) => {
      const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({
        name: 'Kent Police data team',
        role: 'PARTNER',
        services: ['send'],
        revokedAt: null,
      });
      expect(row.secretHash).toMatch(/^scrypt\$/);
      expect(row.secretHash).not.toContain(parseKey(key)?.secret as string);
      expect(await verifySecret(parseKey(key)?.secret as string, row.secretHash)).toBe(true);
      // The key works: the server knows who it is.
      const app = accessApp(db, { services: [], access: { jwt: false, limits: UNLIMITED_RATE } });
      const ok = await app.post({ query: VIEWER }, key);
      await app.dispose();
      // A partner runs only persisted operations: the refusal names the credential's rule, not a 401.
      expect(ok.status).toBe(403);
      expect(ok.body.errors[0].extensions.code).toBe('PERSISTED_OPERATIONS_ONLY');
    });
  }, 60_000);

  it('create refuses a bad request, naming the option, and writes nothing', async () => {
    const before = await withStore((db) => db.prisma.apiKey.count());
    // (Each rule of keyProblem is in rules.test.ts; here, that the command reports one and stops.)
    const noServices = await cype(['create', '--name', 'x', '--role', 'SERVICE_ANALYST']);
    expect(noServices.code).not.toBe(0);
    expect(noServices.stderr).toMatch(/--services: a SERVICE_ANALYST key needs --services/);
    expect(noServices.stdout).not.toMatch(/cype_/);
    expect(await withStore((db) => db.prisma.apiKey.count())).toBe(before);
  }, 60_000);

  it('list shows every key with its role, services and state, never the key', async () => {
    const analyst = await cype(['create', '--name', 'SEND analyst', '--role', 'service_analyst', '--services', 'send']);
    const analystId = parseKey(analyst.stdout.trimEnd().split('\n').at(-1) as string)?.id;
    const r = await cype(['list']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${id}\\s+PARTNER\\s+"Kent Police data team"\\s+services=send\\s`));
    expect(lines[0]).toMatch(/lastUsed=\d{4}-\d\d-\d\dT.*\sactive$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${analystId}\\s+SERVICE_ANALYST\\s+"SEND analyst"\\s+services=send\\s.*lastUsed=never`),
    );
    expect(r.stdout).not.toContain(parseKey(key)?.secret as string);
  }, 60_000);

  it('revoke refuses the key from the next request on; an unknown id is an error', async () => {
    const r = await cype(['revoke', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Revoked ${id}\\s.*revoked \\d{4}-`));
    const list = await cype(['list']);
    expect(list.stdout.split('\n').find((l) => l.startsWith(id))).toMatch(/\srevoked \d{4}-\S+$/);
    await withStore(async (db) => {
      const app = accessApp(db, { services: [], access: { jwt: false, limits: UNLIMITED_RATE } });
      const refused = await app.post({ query: VIEWER }, key);
      await app.dispose();
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].message).toMatch(new RegExp(`API key ${id} was revoked on \\d{4}-`));
      expect(refused.body.data).toBeUndefined();
    });
    const unknown = await cype(['revoke', 'zzzzzzzzzzzz']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/No API key with id "zzzzzzzzzzzz"/);
  }, 60_000);

  it('operations lists core’s and the enabled plugins’ partner operations: name, documentId, what each answers', async () => {
    // Read here independently: the partners/ folders of core's operations and of each plugin's.
    const declared = (services: typeof allServices) =>
      [CORE_OPERATIONS_DIR, ...services.map((s) => s.operations)]
        .map((root) => path.join(root ?? '', 'partners'))
        .filter((dir) => fs.existsSync(dir))
        .flatMap((dir) =>
          fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.graphql'))
            .map((f) => {
              const text = fs.readFileSync(path.join(dir, f), 'utf8');
              return { name: f.replace(/\.graphql$/, ''), hash: createHash('sha256').update(text).digest('hex') };
            }),
        )
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    const listed = (stdout: string) =>
      stdout
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith(' '))
        .map((l) => {
          const m = /^(\S+) {2}services=\S+ {2}documentId=([0-9a-f]{64})$/.exec(l);
          return { name: m?.[1] ?? l, hash: m?.[2] };
        });
    const all = await cype(['operations']);
    expect(all.code, all.stderr).toBe(0);
    expect(listed(all.stdout)).toEqual(declared(allServices));
    // Each with its description on the next line.
    expect(
      all.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => /^ {2}\S/.test(l)),
    ).toHaveLength(declared(allServices).length);
    const send = allServices.filter((s) => s.slug === 'send');
    const some = await cype(['operations'], { CYPE_SERVICES: 'send' });
    expect(some.code, some.stderr).toBe(0);
    expect(listed(some.stdout)).toEqual(declared(send));
    expect(some.stdout).toContain('send-headlines');
    expect(some.stdout).not.toContain('skills-headlines');
  }, 60_000);
});
