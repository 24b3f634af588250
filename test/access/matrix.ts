// The machinery of the role x field matrix (matrix.test.ts): walks the schema from its roots to every
// object type, finds argument values that reach each field on the demo data, builds one document per
// operation type that selects every field of every type, runs it per viewer and classifies each field.
//
// Documents run against a nullable copy of the schema: the same resolvers (so the same scope checks), but a
// refused non-null field no longer nulls its parent, so one document shows every field's outcome at once.
import {
  execute,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldConfig,
  GraphQLList,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLSchema,
  type GraphQLType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
} from 'graphql';
import type { Context } from '../../src/context.js';

/** The same schema with every output type nullable: resolvers, extensions and inputs unchanged. */
export function nullableCopy(schema: GraphQLSchema): GraphQLSchema {
  const objects = new Map<string, GraphQLObjectType>();
  const output = (t: GraphQLOutputType): GraphQLOutputType => {
    if (isNonNullType(t)) return output(t.ofType);
    if (isListType(t)) return new GraphQLList(output(t.ofType));
    if (isObjectType(t)) return objects.get(t.name) as GraphQLObjectType;
    if (isLeafType(t)) return t;
    throw new Error(`nullableCopy: ${String(t)} (interfaces and unions are not handled yet)`);
  };
  const config = schema.toConfig();
  for (const t of config.types) {
    if (!isObjectType(t) || t.name.startsWith('__')) continue;
    const c = t.toConfig();
    objects.set(
      t.name,
      new GraphQLObjectType({
        ...c,
        fields: () =>
          Object.fromEntries(
            Object.entries(c.fields).map(([name, f]): [string, GraphQLFieldConfig<unknown, unknown>] => [
              name,
              { ...f, type: output(f.type) },
            ]),
          ),
      }),
    );
  }
  const root = (t: GraphQLObjectType | null | undefined) => (t ? objects.get(t.name) : undefined);
  return new GraphQLSchema({
    ...config,
    query: root(config.query),
    mutation: root(config.mutation),
    subscription: root(config.subscription),
    types: config.types.filter((t) => !t.name.startsWith('__')).map((t) => objects.get(t.name) ?? t),
  });
}

export type Args = Record<string, unknown>;
export interface Step {
  field: string;
  args: Args;
}

/** Where a type is read: its root operation and the fields (with arguments) from the root to it. */
export interface Reach {
  type: string;
  operation: 'query' | 'mutation';
  path: Step[];
}

/** Selection tree: one node per reached type, keyed by response name. */
interface Node {
  fields: Map<string, { field: string; args: Args; child?: Node }>;
}

/** Prints a node as a selection set, arguments as variables (so Files and enums pass as JSON values). */
function print(node: Node, type: GraphQLObjectType, vars: { defs: string[]; values: Record<string, unknown> }): string {
  const parts: string[] = [];
  for (const [key, sel] of node.fields) {
    const field = type.getFields()[sel.field];
    const args = Object.entries(sel.args).map(([name, value]) => {
      const arg = field.args.find((a) => a.name === name) as GraphQLArgument;
      const v = `v${vars.defs.length}`;
      vars.defs.push(`$${v}: ${String(arg.type)}`);
      vars.values[v] = value;
      return `${name}: $${v}`;
    });
    const head = `${key === sel.field ? '' : `${key}: `}${sel.field}${args.length ? `(${args.join(', ')})` : ''}`;
    const named = getNamedType(field.type);
    if (isObjectType(named)) {
      parts.push(`${head} { ${sel.child?.fields.size ? print(sel.child, named, vars) : '__typename'} }`);
    } else parts.push(head);
  }
  return parts.join(' ');
}

export interface Document {
  operation: 'query' | 'mutation';
  text: string;
  variables: Record<string, unknown>;
}

function toDocument(operation: 'query' | 'mutation', root: Node, rootType: GraphQLObjectType): Document {
  const vars = { defs: [] as string[], values: {} as Record<string, unknown> };
  const body = print(root, rootType, vars);
  const defs = vars.defs.length ? `(${vars.defs.join(', ')})` : '';
  return { operation, text: `${operation} Matrix${defs} { ${body} }`, variables: vars.values };
}

const fileIds = new WeakMap<File, number>();
let files = 0;
function fileId(f: File): number {
  let id = fileIds.get(f);
  if (id === undefined) {
    id = ++files;
    fileIds.set(f, id);
  }
  return id;
}
const stepKey = (s: Step) =>
  `${s.field}(${JSON.stringify(s.args, (_k, v) => (v instanceof File ? `file#${fileId(v)}` : v))})`;

/** Inserts `path` under `root`, reusing nodes for equal steps; returns the node at its end. */
function insert(root: Node, path: Step[]): Node {
  let node = root;
  for (const step of path) {
    // Steps are distinct per (field, args): the response key is the field name unless a sibling differs.
    let key = step.field;
    const existing = node.fields.get(key);
    if (existing && stepKey(existing) !== stepKey(step)) {
      key = `${step.field}_${[...node.fields.keys()].filter((k) => k.startsWith(`${step.field}_`)).length + 1}`;
    }
    let sel = node.fields.get(key);
    if (!sel) {
      sel = { field: step.field, args: step.args, child: { fields: new Map() } };
      node.fields.set(key, sel);
    }
    sel.child ??= { fields: new Map() };
    node = sel.child;
  }
  return node;
}

/** The response keys of a path through a tree built by `insert`. */
function responseKeys(root: Node, path: Step[]): string[] {
  const keys: string[] = [];
  let node: Node | undefined = root;
  for (const step of path) {
    const entry: [string, Node['fields'] extends Map<string, infer V> ? V : never] | undefined = [
      ...(node?.fields ?? new Map()).entries(),
    ].find(([, s]) => stepKey(s) === stepKey(step));
    if (!entry) throw new Error(`path step ${step.field} not in the tree`);
    keys.push(entry[0]);
    node = entry[1].child;
  }
  return keys;
}

export interface Result {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function run(schema: GraphQLSchema, doc: Document, context: Context): Promise<Result> {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(doc.text);
  } catch (e) {
    throw new Error(`${(e as Error).message} in ${doc.text}`);
  }
  return (await execute({
    schema,
    document,
    variableValues: doc.variables,
    contextValue: context,
  })) as Result;
}

/** The values at the end of `keys` in `data` (lists walked), skipping nulls. */
export function valuesAt(data: unknown, keys: string[]): unknown[] {
  let level: unknown[] = [data];
  for (const key of keys) {
    const next: unknown[] = [];
    const push = (v: unknown) => {
      if (Array.isArray(v)) for (const x of v) push(x);
      else if (v !== null && v !== undefined) next.push(v);
    };
    for (const o of level) if (o && typeof o === 'object') push((o as Record<string, unknown>)[key]);
    level = next;
  }
  return level;
}

/** Objects at `keys` that hold the key `field` (the field was resolved there). */
function resolvedAt(data: unknown, keys: string[], field: string): number {
  return valuesAt(data, keys).filter((o) => o && typeof o === 'object' && field in (o as object)).length;
}

const errorKeys = (e: { path?: readonly (string | number)[] }) =>
  (e.path ?? []).filter((p): p is string => typeof p === 'string');

const isPrefix = (prefix: string[], keys: string[]) =>
  prefix.length <= keys.length && prefix.every((k, i) => keys[i] === k);

/** Value pools for arguments, from the demo data. */
export interface Pools {
  areas: string[];
  /** Period codes, most promising first, every period type early in the list. */
  periods: string[];
  indicators: string[];
  cohorts: string[];
  importFormats: string[];
  services: string[];
  /** Extra candidates by `Type.field.arg` or `arg`, tried first. */
  hints?: Record<string, unknown[]>;
  /** Whole argument sets by `Type.field`, tried before the generated ones (arguments that go together). */
  argumentSets?: Record<string, Args[]>;
  /** Paths to types the walk cannot find by itself (data that only other arguments higher up produce). */
  paths?: Record<string, Omit<Reach, 'type'>>;
}

const MAX_CANDIDATES = 40;
/** Candidates tried in the first round of the walk. */
const FIRST_ROUND = 6;

/** Candidate values for one argument: by hint, by name, else by type. */
function candidates(parent: string, field: GraphQLField<unknown, unknown>, arg: GraphQLArgument, pools: Pools) {
  const hinted = pools.hints?.[`${parent}.${field.name}.${arg.name}`] ?? pools.hints?.[arg.name] ?? [];
  const t = getNullableType(arg.type) as GraphQLType;
  const one = (inner: GraphQLType): unknown[] => {
    const n = getNullableType(inner) as GraphQLType;
    if (isListType(n)) return one(n.ofType).map((x) => [x]);
    if (isEnumType(n)) return n.getValues().map((v) => v.name);
    if (isInputObjectType(n)) {
      const required = Object.values(n.getFields()).filter(
        (f) => isNonNullType(f.type) && f.defaultValue === undefined,
      );
      const firsts = required.map((f) => [f.name, one(f.type)[0]]);
      return [Object.fromEntries(firsts)];
    }
    if (!isScalarType(n)) return [];
    switch (n.name) {
      case 'Boolean':
        return [true, false];
      case 'Int':
        return [10, 1];
      case 'Float':
        return [1];
      case 'Date':
        return ['2017-01-01'];
      case 'DateTime':
        return ['2017-01-01T00:00:00.000Z'];
      case 'File':
        return [new File(['not,a,known\nheader,row,x\n'], 'matrix.csv', { type: 'text/csv' })];
    }
    const periods = pools.periods;
    // A code or key names what the field returns: Query.area(code), Query.indicator(code), Query.cohort(key).
    if (/^(code|key)$/.test(arg.name)) {
      const returns = getNamedType(field.type).name;
      if (/^Area/.test(returns)) return pools.areas;
      if (/^Indicator/.test(returns)) return pools.indicators;
      if (/^Period/.test(returns)) return periods;
      if (/^Cohort/.test(returns)) return pools.cohorts;
    }
    if (/^(area|district)$/i.test(arg.name)) return pools.areas;
    if (/period|^from$|^to$/i.test(arg.name)) return periods;
    if (/^(key|with|cohort)$/i.test(arg.name)) return pools.cohorts;
    if (/format/i.test(arg.name)) return pools.importFormats;
    if (/service/i.test(arg.name)) return pools.services;
    return [...pools.areas.slice(0, 1), ...pools.indicators, ...periods, ...pools.cohorts];
  };
  return [...hinted, ...one(t)];
}

/** Argument sets to try for a field: its required arguments' candidates, crossed; plus fixed optional ones. */
function argumentSets(parent: string, field: GraphQLField<unknown, unknown>, pools: Pools): Args[] {
  const fixed: Args = {};
  for (const a of field.args) {
    if (isNonNullType(a.type)) continue;
    // Small pages, and never a real write.
    if (a.name === 'first' && a.defaultValue === undefined) fixed.first = 10;
    if (a.name === 'first' && typeof a.defaultValue === 'number' && a.defaultValue > 10) fixed.first = 10;
    if (a.name === 'dryRun') fixed.dryRun = true;
    if (a.name === 'limit') fixed.limit = 10;
  }
  let sets: Args[] = [fixed];
  for (const a of field.args.filter((x) => isNonNullType(x.type) && x.defaultValue === undefined)) {
    const values = candidates(parent, field, a, pools);
    sets = sets.flatMap((s) => values.map((v) => ({ ...s, [a.name]: v }))).slice(0, MAX_CANDIDATES);
  }
  return [...(pools.argumentSets?.[`${parent}.${field.name}`] ?? []), ...sets];
}

export interface Walk {
  /** Every reached object type, with the path chosen to it. */
  reaches: Map<string, Reach>;
  /** Arguments chosen for each `Type.field`. */
  args: Map<string, Args>;
  /** Types no path reaches with data, and fields no argument set resolved without error. */
  problems: string[];
}

/**
 * Breadth first from the roots, one document per level run as `context` (a viewer that may read
 * everything): each field with arguments is tried with every candidate set (as aliases), and the first
 * set that resolves without error, and to a value when any does, is kept. Each type is reached through
 * the first field of the shallowest level that returns at least one object of it.
 */
export async function walk(schema: GraphQLSchema, context: Context, pools: Pools): Promise<Walk> {
  const reaches = new Map<string, Reach>();
  const args = new Map<string, Args>();
  const problems: string[] = [];
  const roots: Reach[] = [];
  for (const [operation, t] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    if (t) roots.push({ type: t.name, operation, path: [] });
  }
  for (const r of roots) reaches.set(r.type, r);
  // Hinted paths are taken as they are, at their depth, before the types they reach are looked for.
  const hinted = Object.entries(pools.paths ?? {}).map(([type, p]): Reach => ({ type, ...p }));
  for (const r of hinted) reaches.set(r.type, r);
  const empty = new Map<string, Reach>();
  let level = roots;
  let depth = 0;
  while (level.length || hinted.some((r) => r.path.length >= depth)) {
    level.push(...hinted.filter((r) => r.path.length === depth && r.path.length > 0));
    const next = new Map<string, { reach: Reach; found: number }>();
    for (const operation of ['query', 'mutation'] as const) {
      const here = level.filter((r) => r.operation === operation);
      if (!here.length) continue;
      const rootType = (operation === 'query' ? schema.getQueryType() : schema.getMutationType()) as GraphQLObjectType;
      type Tried = { key: string; args: Args; errs: Result['errors']; found: number };
      let pending: { reach: Reach; field: GraphQLField<unknown, unknown>; sets: Args[]; tried: Tried[] }[] = [];
      for (const reach of here) {
        const type = schema.getType(reach.type) as GraphQLObjectType;
        for (const field of Object.values(type.getFields())) {
          const sets = argumentSets(type.name, field, pools);
          if (!sets.length)
            problems.push(`${type.name}.${field.name}: no candidate values for its arguments; add a hint`);
          else pending.push({ reach, field, sets, tried: [] });
        }
      }
      // A few candidates first (most fields resolve with the first), the rest only for fields that need them.
      for (const [from, to] of [
        [0, FIRST_ROUND],
        [FIRST_ROUND, Number.POSITIVE_INFINITY],
      ]) {
        const round = pending.filter((p) => p.sets.length > from);
        if (!round.length) break;
        const tree: Node = { fields: new Map() };
        for (const p of round) {
          const node = insert(tree, p.reach.path);
          p.sets.slice(from, to).forEach((a, i) => {
            node.fields.set(`t${from + i}_${p.field.name}`, { field: p.field.name, args: a });
          });
        }
        const result = await run(schema, toDocument(operation, tree, rootType), context);
        for (const p of round) {
          const keys = responseKeys(tree, p.reach.path);
          p.sets.slice(from, to).forEach((a, i) => {
            const key = `t${from + i}_${p.field.name}`;
            const errs = (result.errors ?? []).filter((e) => isPrefix([...keys, key], errorKeys(e)));
            const found = valuesAt(result.data, [...keys, key]).flatMap((v) => (Array.isArray(v) ? v : [v])).length;
            p.tried.push({ key, args: a, errs, found });
          });
        }
        pending = pending.filter((p) => !p.tried.some((t) => !t.errs?.length && t.found > 0));
        for (const p of round) if (!pending.includes(p)) settle(p);
      }
      for (const p of pending) settle(p);

      function settle({ reach, field, sets, tried }: (typeof pending)[number]) {
        const ok = tried.filter((o) => !o.errs?.length);
        const chosen = ok.find((o) => o.found > 0) ?? ok[0];
        const name = `${reach.type}.${field.name}`;
        if (!chosen) {
          problems.push(
            `${name}: no argument set resolves without error (tried ${sets.length}; first error: ${tried[0]?.errs?.[0]?.message}); add a hint for its arguments`,
          );
          return;
        }
        args.set(name, chosen.args);
        const named = getNamedType(field.type) as GraphQLNamedType;
        if (!isObjectType(named) || reaches.has(named.name)) return;
        const step = { field: field.name, args: chosen.args };
        const candidate = { reach: { type: named.name, operation, path: [...reach.path, step] }, found: chosen.found };
        const best = next.get(named.name);
        if (!best || (best.found === 0 && candidate.found > 0)) next.set(named.name, candidate);
      }
    }
    level = [];
    depth++;
    for (const [name, { reach, found }] of next) {
      // A type no field of this level returns data for waits for a deeper path that does.
      if (found === 0) {
        if (!empty.has(name)) empty.set(name, reach);
        continue;
      }
      reaches.set(name, reach);
      level.push(reach);
    }
  }
  for (const t of Object.values(schema.getTypeMap())) {
    if (!isObjectType(t) || t.name.startsWith('__') || reaches.has(t.name)) continue;
    const tried = empty.get(t.name);
    problems.push(
      tried
        ? `${t.name}: no path returns an object of it on the demo data (tried ${tried.path.map((s) => s.field).join('.')}); add a hint for the arguments on the way`
        : `${t.name}: no path from a root type reaches it`,
    );
  }
  return { reaches, args, problems };
}

export type Outcome = 'allowed' | 'denied' | { error: string } | 'unreached';

export interface Matrix {
  documents: Document[];
  /** The outcome of every `Type.field` for one run of `documents`. */
  classify(results: Result[]): Map<string, Outcome>;
}

/** One document per operation type selecting every field of every reached type, along the walk's paths. */
export function matrix(schema: GraphQLSchema, w: Walk): Matrix {
  const ops: { operation: 'query' | 'mutation'; tree: Node; rootType: GraphQLObjectType }[] = [];
  for (const operation of ['query', 'mutation'] as const) {
    const rootType = operation === 'query' ? schema.getQueryType() : schema.getMutationType();
    if (rootType) ops.push({ operation, tree: { fields: new Map() }, rootType });
  }
  const where: { name: string; op: number; keys: () => string[]; field: string }[] = [];
  for (const reach of w.reaches.values()) {
    const op = ops.findIndex((o) => o.operation === reach.operation);
    const tree = ops[op].tree;
    const node = insert(tree, reach.path);
    const type = schema.getType(reach.type) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      const name = `${type.name}.${field.name}`;
      const a = w.args.get(name);
      if (!a) continue; // a walk problem, reported there
      if (!node.fields.has(field.name)) node.fields.set(field.name, { field: field.name, args: a });
      where.push({ name, op, keys: () => responseKeys(tree, reach.path), field: field.name });
    }
  }
  const documents = ops.map((o) => toDocument(o.operation, o.tree, o.rootType));
  return {
    documents,
    classify(results) {
      const out = new Map<string, Outcome>();
      for (const { name, op, keys, field } of where) {
        const r = results[op];
        const path = [...keys(), field];
        const errs = (r.errors ?? []).filter((e) => isPrefix(errorKeys(e), path));
        if (errs.some((e) => e.extensions?.code === 'FORBIDDEN')) out.set(name, 'denied');
        else if (errs.length) out.set(name, { error: errs[0].message });
        else if (resolvedAt(r.data, keys(), field) > 0) out.set(name, 'allowed');
        else out.set(name, 'unreached');
      }
      return out;
    },
  };
}
