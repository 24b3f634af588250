// `cype new-service <slug>` in a scratch copy of the project: it writes the skeleton and lists it in
// services/index.ts, refuses to overwrite or to take a bad slug, and what it writes is a working service:
// formatted and linted as the project's own code, its migration created by the offline driver, and its
// generated test passing (run by vitest in the scratch copy, against the copy's migrations).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SLUG = 'library-visits';
let scratch: string;

/** Runs a project command in the scratch copy; resolves with its output, or rejects with it. */
async function inScratch(command: string, args: string[], timeout = 240_000) {
  const bin = path.join(ROOT, 'node_modules', '.bin', command);
  // The scratch copy's suite runs where this one does: PGlite, or the same PostgreSQL server.
  return run(bin, args, { cwd: scratch, timeout, env: { ...process.env, CI: 'true' }, maxBuffer: 16 << 20 });
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cype-new-service-'));
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink() || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.copyFileSync(from, path.join(scratch, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  fs.cpSync(path.join(ROOT, 'src', 'generated'), path.join(scratch, 'src', 'generated'), { recursive: true });
}, 120_000);
afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('cype new-service', () => {
  it('writes a skeleton that lints, migrates and passes its own test', async () => {
    const { stdout } = await inScratch('tsx', ['src/cli/index.ts', 'new-service', SLUG]);
    for (const f of [
      'plugin.ts',
      'import.ts',
      'indicators.ts',
      'cohorts.ts',
      'seed.ts',
      'access.ts',
      `${SLUG}.test.ts`,
    ]) {
      expect(fs.existsSync(path.join(scratch, 'services', SLUG, f)), f).toBe(true);
    }
    expect(fs.existsSync(path.join(scratch, 'prisma', 'schema', `${SLUG}.prisma`))).toBe(true);
    expect(fs.readdirSync(path.join(scratch, 'services', SLUG, 'operations', 'partners'))).toEqual([
      `${SLUG}-headlines.graphql`,
    ]);
    expect(stdout).toContain('Next steps:');
    expect(stdout).toContain(`npm run db:migrate:create -- library_visits`);
    const index = fs.readFileSync(path.join(scratch, 'services', 'index.ts'), 'utf8');
    expect(index).toContain(`import { libraryVisits } from './${SLUG}/plugin.js';`);
    expect(index).toMatch(/allServices: ServicePlugin\[\] = \[[^\]]*libraryVisits\]/);

    // As the project's own code: Biome finds nothing to format or fix in what was written.
    await inScratch('biome', ['check', `services/${SLUG}`, 'services/index.ts', `prisma/schema/${SLUG}.prisma`]);

    const created = await inScratch('tsx', ['src/cli/index.ts', 'migrate', 'create', 'library_visits']);
    expect(created.stdout).toMatch(/Created .*library_visits\/migration\.sql/);
    const [migration] = fs
      .readdirSync(path.join(scratch, 'prisma', 'migrations'))
      .filter((d) => d.endsWith('_library_visits'));
    const sql = fs.readFileSync(path.join(scratch, 'prisma', 'migrations', migration, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "LibraryVisitsEpisode"');
    // No table-version line: the migration driver's deploy step puts the trigger on it.
    expect(sql).not.toContain('cype_version_tables');

    const tested = await inScratch('vitest', ['run', `services/${SLUG}`]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: vitest colours its summary.
    expect(tested.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+4 passed \(4\)/);
  }, 600_000);

  it('refuses to overwrite a service, and a slug that is not one', async () => {
    await expect(inScratch('tsx', ['src/cli/index.ts', 'new-service', SLUG])).rejects.toMatchObject({
      stderr: expect.stringContaining('services/index.ts already lists a plugin named libraryVisits'),
    });
    fs.mkdirSync(path.join(scratch, 'services', 'school-meals'));
    await expect(inScratch('tsx', ['src/cli/index.ts', 'new-service', 'school-meals'])).rejects.toMatchObject({
      stderr: expect.stringContaining('Not overwriting what exists: services/school-meals/'),
    });
    await expect(inScratch('tsx', ['src/cli/index.ts', 'new-service', 'Library_Visits'])).rejects.toMatchObject({
      stderr: expect.stringContaining('"Library_Visits" is not a service slug'),
    });
    await expect(inScratch('tsx', ['src/cli/index.ts', 'new-service', 'send'])).rejects.toMatchObject({
      stderr: expect.stringContaining('already lists a plugin named send'),
    });
  }, 120_000);
});
