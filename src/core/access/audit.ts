// The audit log of record-level reads: after an operation runs, its result is walked along the document
// and every object of a record-level type (and every record-level field) is counted; a request that
// returned any writes one AuditLog row before the response leaves. Variables are kept only where they
// cannot name a person: numbers, booleans, enum values, and strings passed to code-like arguments.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import type { Database } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { RECORD_LEVEL } from './scopes.js';
import type { Viewer } from './viewer.js';

export interface RecordCount {
  /** Objects of record-level types, and values of record-level fields (`Type.field`), by name. */
  records: Record<string, number>;
  total: number;
  /** Plugin slugs of what was counted. */
  services: string[];
}

function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

function recordLevelOf(x: { extensions?: Record<string, unknown> | null }): string | undefined {
  const v = x.extensions?.[RECORD_LEVEL];
  return typeof v === 'string' ? v : undefined;
}

/** Counts the record-level data in an execution result's `data`. */
export function countRecords(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  data: unknown,
): RecordCount {
  const out: RecordCount = { records: {}, total: 0, services: [] };
  const op = operationOf(document, operationName);
  if (!op || !data || typeof data !== 'object') return out;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const add = (name: string, slug: string, n: number) => {
    if (n === 0) return;
    out.records[name] = (out.records[name] ?? 0) + n;
    out.total += n;
    if (!out.services.includes(slug)) out.services.push(slug);
  };

  // Field nodes of a selection set that apply to objects of `type`, fragments flattened.
  const fieldsOf = (set: SelectionSetNode, type: GraphQLObjectType, acc: FieldNode[] = []): FieldNode[] => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) acc.push(s);
      else {
        const frag = s.kind === Kind.FRAGMENT_SPREAD ? fragments.get(s.name.value) : s;
        if (!frag) continue;
        const cond = frag.typeCondition?.name.value;
        const condType = cond ? schema.getType(cond) : undefined;
        if (cond && condType !== type && !(condType && 'getTypes' in condType && schema.isSubType(condType, type))) {
          continue;
        }
        fieldsOf(frag.selectionSet, type, acc);
      }
    }
    return acc;
  };

  const walk = (set: SelectionSetNode, type: GraphQLObjectType, value: Record<string, unknown>) => {
    const typeSlug = recordLevelOf(type);
    if (typeSlug) add(type.name, typeSlug, 1);
    for (const field of fieldsOf(set, type)) {
      const key = field.alias?.value ?? field.name.value;
      if (!(key in value) || field.name.value.startsWith('__')) continue;
      const def = type.getFields()[field.name.value];
      if (!def) continue;
      const v = value[key];
      const named = getNamedType(def.type);
      const fieldSlug = recordLevelOf(def);
      const values = (Array.isArray(v) ? v.flat(Number.POSITIVE_INFINITY) : [v]).filter((x) => x !== null);
      if (fieldSlug && !(named instanceof GraphQLObjectType && recordLevelOf(named))) {
        add(`${type.name}.${def.name}`, fieldSlug, values.length);
      }
      if (named instanceof GraphQLObjectType && field.selectionSet) {
        for (const item of values) walk(field.selectionSet, named, item as Record<string, unknown>);
      }
    }
  };

  const root = op.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (root) walk(op.selectionSet, root, data as Record<string, unknown>);
  return out;
}

/** Arguments whose values are codes (areas, periods, indicators, cohorts, services), never personal. */
const CODE_ARGUMENTS = new Set([
  'area',
  'code',
  'period',
  'district',
  'key',
  'with',
  'service',
  'services',
  'from',
  'to',
  'format',
  'level',
  'dimension',
  'group',
  'type',
]);
export const REDACTED = '[redacted]';

/**
 * The variables to store: numbers, booleans, nulls and enum-typed values as sent; strings only when every
 * use of the variable is a code-like argument; anything else `[redacted]` (a person id, a cursor, a date).
 */
export function redactVariables(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  schema: GraphQLSchema,
): Record<string, unknown> {
  if (!variables || typeof variables !== 'object') return {};
  const uses = new Map<string, string[]>();
  const enumTyped = new Set<string>();
  visit(document, {
    VariableDefinition(node) {
      let t = node.type;
      while (t.kind !== Kind.NAMED_TYPE) t = t.type;
      const type = schema.getType(t.name.value);
      if (type && (type.name === 'Boolean' || type.name === 'Int' || type.name === 'Float' || 'getValues' in type)) {
        enumTyped.add(node.variable.name.value);
      }
    },
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE) {
        const name = node.value.name.value;
        uses.set(name, [...(uses.get(name) ?? []), node.name.value]);
      }
    },
    ObjectField(node) {
      // A variable inside an input object or list is never treated as a code.
      if (node.value.kind === Kind.VARIABLE) uses.set(node.value.name.value, ['(nested)']);
    },
  });
  const safeLeaf = (v: unknown) => v === null || typeof v === 'number' || typeof v === 'boolean';
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    const codeLike = (uses.get(name) ?? []).length > 0 && (uses.get(name) ?? []).every((a) => CODE_ARGUMENTS.has(a));
    const strings = (Array.isArray(value) ? value : [value]).every((x) => typeof x === 'string' && x.length <= 40);
    if (
      enumTyped.has(name) &&
      (Array.isArray(value) ? value : [value]).every((x) => safeLeaf(x) || typeof x === 'string')
    ) {
      out[name] = value;
    } else if ((Array.isArray(value) ? value : [value]).every(safeLeaf)) out[name] = value;
    else if (codeLike && strings) out[name] = value;
    else out[name] = REDACTED;
  }
  return out;
}

export interface AuditEntryInput {
  viewer: Viewer;
  operationName: string | null;
  documentHash: string;
  variables: Record<string, unknown>;
  count: RecordCount;
}

export async function writeAudit(db: Database, e: AuditEntryInput): Promise<void> {
  await db.prisma.auditLog.create({
    data: {
      keyId: e.viewer.keyId ?? null,
      subject: e.viewer.name,
      role: e.viewer.role,
      operationName: e.operationName,
      documentHash: e.documentHash,
      variables: e.variables as Prisma.InputJsonValue,
      records: e.count.records,
      recordCount: e.count.total,
      services: e.count.services,
    },
  });
}
