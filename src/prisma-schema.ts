// Composes the Prisma schema folder, so that a service plugin adds its tables with one file of its own.
// Prisma has no `extend model`, and both ends of a relation must be declared: a plugin model's relation to
// a model of another file (`person Person @relation(fields: [personId], references: [id])`) needs a
// back-relation field on that model (`Person.eyfsResults EyfsResult[]`). Instead of core.prisma listing
// every service's back-relations, they are generated here from the plugin files, into a composed copy of
// the folder that `prisma generate` (prisma.config.ts) and the migration driver (src/migrate.ts) read.
// Back-relations change no table, so the composed schema migrates to the same database.
//
// The back-relation is named after the plugin model (lower camel case, plural for a list: `eyfsResults`,
// `troubledFamilies`), or by a `// back-relation: <name>` comment on the relation field's line. A relation
// name (`@relation("X", …)`) is carried over to the back-relation. The owning side (the one with
// `fields:`) has a list back-relation, or an optional one when its `fields` are unique (one-to-one); a
// plugin's list field to a model of another file is an implicit many-to-many, with a list back-relation.
//
// Runs inside prisma.config.ts before anything is generated: node built-ins only.
import fs from 'node:fs';
import path from 'node:path';

/** The schema folder of the project, and where its composed copy goes (git-ignored, like all of src/generated). */
export const PRISMA_SCHEMA_DIR = path.resolve(import.meta.dirname, '../prisma/schema');
export const COMPOSED_SCHEMA_DIR = path.resolve(import.meta.dirname, 'generated/prisma-schema');
/** The file of the models no single service owns. */
export const CORE_SCHEMA_FILE = 'core.prisma';

export interface SchemaFile {
  path: string;
  content: string;
}

/** A schema that cannot be composed: names the file, model and field at fault. */
export class SchemaCompositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaCompositionError';
  }
}

interface Field {
  name: string;
  type: string;
  modifier: '' | '?' | '[]';
  attributes: string;
  /** The `// back-relation: <name>` comment's name, if any. */
  backRelationName?: string;
}

interface Block {
  kind: string;
  name: string;
  file: string;
  fields: Field[];
  /** Field names made unique by `@id`, `@unique`, `@@id([...])` or `@@unique([...])`, one set each. */
  uniqueSets: string[][];
  /** Index in the file's lines of the closing brace. */
  end: number;
}

const BLOCK_START = /^\s*(model|enum|type|view|generator|datasource)\s+(\w+)\s*\{\s*$/;
const FIELD = /^\s*(\w+)\s+(\w+)(\[\]|\?)?(?:\s+(.*))?$/;

/** A line without its `//` comment (but `//` inside a string stays), and the comment. */
function splitComment(line: string): [code: string, comment: string] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '/' && line[i + 1] === '/') return [line.slice(0, i), line.slice(i)];
  }
  return [line, ''];
}

function parseFile(file: SchemaFile): Block[] {
  const lines = file.content.split('\n');
  const blocks: Block[] = [];
  let current: Block | null = null;
  lines.forEach((line, i) => {
    const [code, comment] = splitComment(line);
    if (!current) {
      const start = BLOCK_START.exec(code);
      if (start) current = { kind: start[1], name: start[2], file: file.path, fields: [], uniqueSets: [], end: -1 };
      return;
    }
    if (/^\s*\}\s*$/.test(code)) {
      current.end = i;
      blocks.push(current);
      current = null;
      return;
    }
    if (current.kind !== 'model') return;
    const blockAttribute = /^\s*@@(id|unique)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/.exec(code);
    if (blockAttribute) {
      current.uniqueSets.push(blockAttribute[2].split(',').map((f) => f.trim().replace(/\(.*$/, '')));
      return;
    }
    const field = FIELD.exec(code.trimEnd());
    if (!field || code.trimStart().startsWith('@@')) return;
    const [, name, type, modifier = '', attributes = ''] = field;
    const backRelationName = /\/\/\s*back-relation:\s*(\w+)/.exec(comment)?.[1];
    current.fields.push({ name, type, modifier: modifier as Field['modifier'], attributes, backRelationName });
    if (/@(id|unique)\b/.test(attributes)) current.uniqueSets.push([name]);
  });
  if (current) throw new SchemaCompositionError(`${file.path}: block ${(current as Block).name} is never closed`);
  return blocks;
}

/** The `@relation(...)` arguments of a field: its name and `fields`. */
function relationOf(field: Field): { name?: string; fields?: string[] } {
  const args = /@relation\s*\(([^)]*)\)/.exec(field.attributes)?.[1];
  if (args === undefined) return {};
  const name = /^\s*"([^"]*)"/.exec(args)?.[1] ?? /\bname\s*:\s*"([^"]*)"/.exec(args)?.[1];
  const fields = /\bfields\s*:\s*\[([^\]]*)\]/.exec(args)?.[1];
  return { name, fields: fields?.split(',').map((f) => f.trim()) };
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/** English plural of a model name's last word, as in `troubledFamilies`, `ehcPlans`, `statuses`. */
function plural(s: string): string {
  if (/[^aeiou]y$/.test(s)) return `${s.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(s)) return `${s}es`;
  return `${s}s`;
}

interface BackRelation {
  /** The model that gains the field, and the file it is defined in. */
  target: Block;
  line: string;
  name: string;
  /** Where it comes from, for the comment and for error messages: `early-years.prisma EyfsResult.person`. */
  from: string;
  fromFile: string;
}

/**
 * The back-relation fields that the files leave out, by the model that gains them: for every relation
 * field of a model whose type is a model defined in another file, and whose other side that model does
 * not declare.
 */
export function backRelations(files: SchemaFile[]): BackRelation[] {
  const blocks = files.flatMap(parseFile);
  const models = new Map<string, Block>();
  for (const b of blocks) {
    if (b.kind !== 'model') continue;
    const twin = models.get(b.name);
    if (twin) throw new SchemaCompositionError(`model ${b.name} is defined twice: in ${twin.file} and ${b.file}`);
    models.set(b.name, b);
  }
  const added: BackRelation[] = [];
  for (const model of models.values()) {
    for (const field of model.fields) {
      const target = models.get(field.type);
      if (!target || target.file === model.file) continue;
      const relation = relationOf(field);
      const from = `${path.basename(model.file)} ${model.name}.${field.name}`;
      const declared = target.fields.some((f) => f.type === model.name && relationOf(f).name === relation.name);
      if (declared) continue;
      let modifier: '[]' | '?';
      if (relation.fields) {
        const key = [...relation.fields].sort().join(',');
        modifier = model.uniqueSets.some((set) => [...set].sort().join(',') === key) ? '?' : '[]';
      } else if (field.modifier === '[]') {
        modifier = '[]';
      } else {
        throw new SchemaCompositionError(
          `${from}: a relation to ${target.name} (${path.basename(target.file)}) must hold the foreign key ` +
            `(@relation(fields: [...], references: [...])): ${target.name} cannot name ${model.name}, ` +
            'which is defined in another file',
        );
      }
      const name =
        field.backRelationName ?? (modifier === '[]' ? plural(lowerFirst(model.name)) : lowerFirst(model.name));
      const clash =
        target.fields.find((f) => f.name === name) ?? added.find((a) => a.target === target && a.name === name);
      if (clash) {
        const by = 'from' in clash ? `the back-relation of ${clash.from}` : `${path.basename(target.file)}`;
        throw new SchemaCompositionError(
          `${from}: the back-relation ${target.name}.${name} is already declared by ${by}; name this one ` +
            `with a \`// back-relation: <name>\` comment on the line of ${model.name}.${field.name}`,
        );
      }
      const attribute = relation.name === undefined ? '' : ` @relation(${JSON.stringify(relation.name)})`;
      added.push({
        target,
        name,
        line: `  ${name} ${model.name}${modifier}${attribute}`,
        from,
        fromFile: path.basename(model.file),
      });
    }
  }
  return added;
}

/**
 * The files with the back-relations added to the models they belong to (before the model's `@@`
 * attributes, grouped by the file they come from). Generator `output` paths, which Prisma reads relative
 * to the file, are rewritten for `toDir` when given.
 */
export function composeSchemaFiles(files: SchemaFile[], toDir?: string): SchemaFile[] {
  const added = backRelations(files);
  return files.map((file) => {
    const lines = file.content.split('\n');
    const inserts = new Map<number, string[]>();
    for (const block of parseFile(file)) {
      const mine = added.filter((a) => a.target.file === file.path && a.target.name === block.name);
      if (!mine.length) continue;
      let at = block.end;
      for (let i = block.end - 1; i >= 0 && !BLOCK_START.test(lines[i]); i--) {
        if (/^\s*@@/.test(lines[i])) at = i;
      }
      while (at > 0 && /^\s*(\/\/\/.*)?$/.test(lines[at - 1]) && !BLOCK_START.test(lines[at - 1])) at--;
      const out: string[] = [];
      let lastFile = '';
      for (const a of mine) {
        if (a.fromFile !== lastFile)
          out.push(`  // back-relations of ${a.fromFile} (generated by src/prisma-schema.ts)`);
        lastFile = a.fromFile;
        out.push(a.line);
      }
      inserts.set(at, out);
    }
    let content = lines.flatMap((line, i) => [...(inserts.get(i) ?? []), line]).join('\n');
    if (toDir) {
      const fromDir = path.dirname(file.path);
      content = content.replace(/^(\s*output\s*=\s*)"([^"]+)"/gm, (all, lead: string, out: string) => {
        if (path.isAbsolute(out)) return all;
        const moved = path.relative(toDir, path.resolve(fromDir, out)).split(path.sep).join('/');
        return `${lead}"${moved}"`;
      });
    }
    return { path: toDir ? path.join(toDir, path.basename(file.path)) : file.path, content };
  });
}

/** The .prisma files of a folder, in name order, then `extra` ones. */
export function readSchemaFiles(dir = PRISMA_SCHEMA_DIR, extra: string[] = []): SchemaFile[] {
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.prisma'))
    .sort();
  return [...names.map((n) => path.join(dir, n)), ...extra].map((p) => ({
    path: p,
    content: fs.readFileSync(p, 'utf8'),
  }));
}

/**
 * Writes the composed copy of a schema folder to `toDir` (replacing what was there) and returns `toDir`,
 * for `schema` in prisma.config.ts.
 */
export function writeComposedSchema(fromDir = PRISMA_SCHEMA_DIR, toDir = COMPOSED_SCHEMA_DIR): string {
  const composed = composeSchemaFiles(readSchemaFiles(fromDir), toDir);
  // Written aside, then swapped in: a Prisma command starting meanwhile never reads half a folder.
  const aside = `${toDir}.${process.pid}.tmp`;
  fs.rmSync(aside, { recursive: true, force: true });
  fs.mkdirSync(aside, { recursive: true });
  const source = path.relative(process.cwd(), fromDir) || '.';
  for (const f of composed) {
    const header = `// Generated by src/prisma-schema.ts from ${source}/${path.basename(f.path)}: edit that file, not this copy.\n`;
    fs.writeFileSync(path.join(aside, path.basename(f.path)), header + f.content);
  }
  fs.rmSync(toDir, { recursive: true, force: true });
  fs.renameSync(aside, toDir);
  return toDir;
}
