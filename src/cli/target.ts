// The store the CLI works on: DATABASE_URL (PostgreSQL), else the PGlite folder (locked while open, so a
// command run beside a running server fails with the server's pid instead of corrupting the folder).
import path from 'node:path';
import { defaultDataDir, lockDataDir } from '../db.js';
import type { MigrationTarget } from '../migrate.js';

export async function migrationTargetFromEnv(): Promise<{ target: MigrationTarget; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return { target: { url }, close: async () => {} };
  if (url && !url.startsWith('pglite:')) {
    throw new Error(`DATABASE_URL must start with postgresql:// (or pglite:<folder>); got "${url.split(':')[0]}:…"`);
  }
  const dir = url?.startsWith('pglite:') ? url.slice('pglite:'.length) : defaultDataDir();
  const unlock = lockDataDir(dir, `cype ${process.argv.slice(2).join(' ')}`);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite(path.join(dir, 'pgdata'));
    await pglite.waitReady;
    return {
      target: { pglite },
      close: async () => {
        try {
          await pglite.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
