// Partner operations: the only documents a PARTNER credential may run, persisted by hash. Each is one file
// <name>.graphql in the `partners/` folder of core's operations (schema/operations/) or of an enabled
// plugin's (its `operations` folder, services/<slug>/operations/), whose first lines say what it is for and
// which services it reads (`# services: send, early-years`, or `# services: all`). Partners send
// `{"documentId": "<sha256>"}` (or Apollo's `extensions.persistedQuery.sha256Hash`) plus variables. The
// `examples/` folders beside them hold GraphiQL's tabs (src/app.ts), read by the same rules.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type DocumentNode, parse } from 'graphql';
import type { ServicePlugin } from '../plugin.js';

/** Core's operations: `partners/` and `examples/` for what reads core types only, or several services. */
export const CORE_OPERATIONS_DIR = path.resolve(import.meta.dirname, '../../../schema/operations');

/** `partners`: persisted operations partners may run; `examples`: GraphiQL tabs. */
export type OperationKind = 'partners' | 'examples';

export interface OperationFile {
  /** File name without `.graphql`. */
  name: string;
  /** Absolute path of the file. */
  file: string;
  text: string;
}

/**
 * The `.graphql` files of one kind from core and the given plugins (those declaring an `operations`
 * folder), ordered by name. A name two folders share is an error: keys and tabs are named by it.
 */
export function operationFiles(
  kind: OperationKind,
  services: readonly Pick<ServicePlugin, 'operations'>[],
  coreDir = CORE_OPERATIONS_DIR,
): OperationFile[] {
  const files = new Map<string, OperationFile>();
  for (const root of [coreDir, ...services.flatMap((s) => (s.operations ? [s.operations] : []))]) {
    const dir = path.join(root, kind);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
      const name = f.replace(/\.graphql$/, '');
      const file = path.join(dir, f);
      const other = files.get(name);
      if (other) throw new Error(`Two ${kind} operations are named "${name}": ${other.file} and ${file}`);
      files.set(name, { name, file, text: fs.readFileSync(file, 'utf8') });
    }
  }
  return [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface PartnerOperation {
  /** File name without `.graphql`: what a key's `--operations` lists. */
  name: string;
  /** sha256 (hex) of the file's text: the persisted document id. */
  hash: string;
  text: string;
  document: DocumentNode;
  /** Plugin slugs the operation reads; null = every service (only keys without a service list run it). */
  services: string[] | null;
  /** The header comment, for `cype keys operations`. */
  description: string;
  /** Absolute path of the file (core's folder or a plugin's). */
  file: string;
}

export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads and parses the partner operations of core and the given (enabled) plugins; a file without a
 * `# services:` line is an error.
 */
export function loadPartnerOperations(
  services: readonly Pick<ServicePlugin, 'operations'>[],
  coreDir = CORE_OPERATIONS_DIR,
): PartnerOperation[] {
  return operationFiles('partners', services, coreDir).map(({ name, file, text }) => {
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    const servicesLine = header.find((l) => /^#\s*services:/i.test(l));
    if (!servicesLine) throw new Error(`${file}: the header needs a "# services: a, b" (or "# services: all") line`);
    const listed = servicesLine
      .replace(/^#\s*services:/i, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      name,
      hash: documentHash(text),
      text,
      document: parse(text),
      services: listed.includes('all') ? null : listed,
      description: header
        .filter((l) => l !== servicesLine)
        .map((l) => l.replace(/^#\s?/, ''))
        .join(' ')
        .trim(),
      file,
    };
  });
}

/**
 * The operations a partner credential may run: its explicit list when it has one, else all; and of those
 * only the ones reading services it holds (a credential without services holds all of them).
 */
export function allowedOperations(
  all: PartnerOperation[],
  credential: { services: string[]; operations: string[] },
): string[] {
  return all
    .filter((op) => credential.operations.length === 0 || credential.operations.includes(op.name))
    .filter((op) =>
      credential.services.length === 0 ? true : op.services?.every((s) => credential.services.includes(s)) === true,
    )
    .map((op) => op.name);
}
