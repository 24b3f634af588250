// Partner operations: the only documents a PARTNER credential may run, persisted by hash. Each is one file
// schema/operations/partners/<name>.graphql whose first lines say what it is for and which services it
// reads (`# services: send, early-years`, or `# services: all`). Partners send
// `{"documentId": "<sha256>"}` (or Apollo's `extensions.persistedQuery.sha256Hash`) plus variables.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type DocumentNode, parse } from 'graphql';

export const PARTNER_OPERATIONS_DIR = path.resolve(import.meta.dirname, '../../../schema/operations/partners');

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
}

export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads and parses every partner operation; a file without a `# services:` line is an error. */
export function loadPartnerOperations(dir = PARTNER_OPERATIONS_DIR): PartnerOperation[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const header = text.split('\n').filter((l) => l.startsWith('#'));
      const servicesLine = header.find((l) => /^#\s*services:/i.test(l));
      if (!servicesLine) throw new Error(`${file}: the header needs a "# services: a, b" (or "# services: all") line`);
      const listed = servicesLine
        .replace(/^#\s*services:/i, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        name: file.replace(/\.graphql$/, ''),
        hash: documentHash(text),
        text,
        document: parse(text),
        services: listed.includes('all') ? null : listed,
        description: header
          .filter((l) => l !== servicesLine)
          .map((l) => l.replace(/^#\s?/, ''))
          .join(' ')
          .trim(),
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
