// `cype new-service <slug>`: starts a service the way the existing ones are built. Writes the skeleton of
// src/cli/service-skeleton.ts into services/<slug>/ and prisma/schema/<slug>.prisma, adds the plugin to
// services/index.ts, and prints the next steps. Refuses to overwrite anything.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { serviceNames, serviceSkeleton } from './service-skeleton.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface NewService {
  /** Files written, relative to the root. */
  files: string[];
  /** What to do next, one command or sentence a line. */
  nextSteps: string[];
}

/** Writes a new service's skeleton under `root` and lists it in services/index.ts. */
export function writeNewService(slug: string, root = PROJECT_ROOT): NewService {
  const names = serviceNames(slug);
  const indexFile = path.join(root, 'services', 'index.ts');
  const index = fs.readFileSync(indexFile, 'utf8');
  const list = /export const allServices: ServicePlugin\[\] = \[([^\]]*)\];/.exec(index);
  if (!list) throw new Error(`services/index.ts has no "export const allServices: ServicePlugin[] = [...]" to add to`);
  const listed = list[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (listed.includes(names.key)) throw new Error(`services/index.ts already lists a plugin named ${names.key}`);

  const files = serviceSkeleton(names);
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(root, f)));
  if (fs.existsSync(path.join(root, 'services', slug))) existing.unshift(`services/${slug}/`);
  if (existing.length) throw new Error(`Not overwriting what exists: ${existing.join(', ')}`);

  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  // The plugin's import goes among the others in module-path order, as the formatter keeps them.
  const importLine = `import { ${names.key} } from './${slug}/plugin.js';`;
  const lines = index.split('\n');
  const pluginImports = lines
    .map((line, i) => ({ line, i, from: /from '(\.\/[^']+)'/.exec(line)?.[1] }))
    .filter((l) => l.from && /^import /.test(l.line));
  const before = pluginImports.find((l) => (l.from as string) > `./${slug}/plugin.js`);
  const at = before ? before.i : (pluginImports.at(-1)?.i ?? 0) + 1;
  lines.splice(at, 0, importLine);
  fs.writeFileSync(indexFile, lines.join('\n').replace(list[0], serviceList([...listed, names.key])));

  return {
    files: [...Object.keys(files), 'services/index.ts (one plugin added)'],
    nextSteps: [
      `npm run db:migrate:create -- ${slug.replace(/-/g, '_')}   # the migration creating its table`,
      'npx prisma generate                 # the Prisma client and Pothos types with the new table',
      'npm run schema                      # regenerate schema/schema.graphql',
      `npx vitest run services/${slug}      # the generated test`,
      `Then make it the service's own: its tables in prisma/schema/${slug}.prisma, formats in import.ts, indicators with their published definitions, cohorts, a calibrated seed, field access and operations (services/README.md).`,
    ],
  };
}

/** The plugin list as the formatter writes it: on one line when it fits in 120 characters, else one a line. */
function serviceList(keys: string[]): string {
  const line = `export const allServices: ServicePlugin[] = [${keys.join(', ')}];`;
  return line.length <= 120
    ? line
    : `export const allServices: ServicePlugin[] = [\n${keys.map((k) => `  ${k},\n`).join('')}];`;
}

export function registerNewServiceCommand(program: Command) {
  program
    .command('new-service')
    .argument('<slug>', 'folder name and CYPE_SERVICES entry, e.g. library-visits')
    .description(
      'Start a service plugin: write a working skeleton (one table, import format, indicator, cohort, seed, ' +
        'field access, partner operation and a passing test) into services/<slug>/ and prisma/schema/<slug>.prisma, ' +
        'and add it to services/index.ts.',
    )
    .option('--root <dir>', 'the project folder (default: this project)')
    .action((slug: string, opts: { root?: string }) => {
      const { files, nextSteps } = writeNewService(slug, opts.root ? path.resolve(opts.root) : PROJECT_ROOT);
      console.log(`Wrote:\n${files.map((f) => `  ${f}`).join('\n')}\n\nNext steps:`);
      nextSteps.forEach((s, i) => {
        console.log(`  ${i + 1}. ${s}`);
      });
    });
}
