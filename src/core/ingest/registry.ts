// Which import formats exist: the core ones, then every enabled service plugin's `importers`, in plugin
// order. The CLI, `--help`, GraphQL `importFormats` and the upload mutation all resolve names here.
import type { ServicePlugin } from '../plugin.js';
import { csvLine } from './csv.js';
import { areasFormat, neighboursFormat } from './formats/areas.js';
import { characteristicsFormat } from './formats/characteristics.js';
import { eesFormat } from './formats/ees.js';
import { peopleFormat } from './formats/people.js';
import { targetsFormat } from './formats/targets.js';
import type { ImportFormat } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const coreFormats: ImportFormat<any>[] = [
  areasFormat,
  neighboursFormat,
  peopleFormat,
  characteristicsFormat,
  targetsFormat,
  eesFormat,
];

/** Every format available with these plugins enabled; a name used twice is a programming error. */
// biome-ignore lint/suspicious/noExplicitAny: see coreFormats.
export function importFormats(services: ServicePlugin[]): ImportFormat<any>[] {
  const all = [...coreFormats, ...services.flatMap((s) => s.importers)];
  const seen = new Set<string>();
  for (const f of all) {
    if (seen.has(f.name)) throw new Error(`Two import formats are named ${f.name}`);
    seen.add(f.name);
  }
  return all;
}

// biome-ignore lint/suspicious/noExplicitAny: see coreFormats.
export function findImportFormat(name: string, services: ServicePlugin[]): ImportFormat<any> | undefined {
  return importFormats(services).find((f) => f.name === name);
}

/** One-line CSV example of a format: its header and example row, quoted where needed. */
export function exampleCsv(format: ImportFormat): string {
  const cols = format.columns.filter((c) => c.required || c.name in format.example).map((c) => c.name);
  return `${csvLine(cols)}\n${csvLine(cols.map((c) => format.example[c] ?? ''))}`;
}
