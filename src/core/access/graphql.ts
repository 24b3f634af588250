// GraphQL for access control: `viewer` (who the server thinks you are) and `auditLog` (the record-level
// reads, for analysts: every row for a directorate analyst, rows touching its services for a service one).
import type { Builder } from '../../builder.js';
import { UserInputError } from '../errors.js';
import { ROLES } from './scopes.js';

const MAX_AUDIT_PAGE = 500;

export function registerAccess(builder: Builder) {
  const AccessRole = builder.enumType('AccessRole', {
    description: 'Who a caller is, for authorization (DESIGN.md “Access and disclosure”).',
    values: {
      DIRECTORATE_ANALYST: { description: 'Reads everything, record level included; may import files.' },
      SERVICE_ANALYST: { description: 'Reads the records of its services, and aggregates everywhere.' },
      PARTNER: { description: 'Runs only its allow-listed operations; aggregates only, under disclosure control.' },
      PUBLIC: {
        description: 'Callers without credentials where the server allows them: aggregates under disclosure control.',
      },
    } as const,
  });
  if (ROLES.length !== 4) throw new Error('AccessRole and ROLES disagree');

  const ViewerRef = builder.simpleObject('Viewer', {
    description: 'The caller of this request, as the server authenticated it.',
    fields: (t) => ({
      role: t.field({ type: AccessRole, description: 'The caller’s role.' }),
      name: t.string({ description: 'The API key’s name, `jwt:<subject>`, or `demo`/`public` without credentials.' }),
      services: t.stringList({ description: 'Services (plugin slugs) the role is limited to; empty for all.' }),
      disclosureControl: t.boolean({
        description:
          'Whether this caller’s figures are under disclosure control (counts published by the cell key method).',
      }),
    }),
  });

  builder.queryField('viewer', (t) =>
    t.field({
      type: ViewerRef,
      description: 'Who the server thinks you are: role, name, services, and whether disclosure control is on.',
      resolve: (_root, _args, ctx) => ({
        role: ctx.viewer.role,
        name: ctx.viewer.name,
        services: ctx.viewer.services,
        disclosureControl: ctx.disclosureControl,
      }),
    }),
  );

  const RecordCount = builder.simpleObject('AuditRecordCount', {
    description: 'How many record-level objects of one type (or values of one `Type.field`) a request returned.',
    fields: (t) => ({
      type: t.string({ description: 'GraphQL type, or `Type.field` for a record-level field.' }),
      count: t.int({ description: 'How many were returned.' }),
    }),
  });

  builder.prismaObject('AuditLog', {
    name: 'AuditEntry',
    description: 'One request that returned record-level data. Analysts only.',
    authScopes: { analyst: true },
    fields: (t) => ({
      id: t.exposeInt('id', { description: 'Sequential id; pass as `after` for the next page.' }),
      at: t.expose('at', { type: 'DateTime', description: 'When the response was sent.' }),
      keyId: t.exposeString('keyId', {
        nullable: true,
        description: 'The API key (null for a JWT or no credentials).',
      }),
      subject: t.exposeString('subject', { description: 'The key’s name, `jwt:<subject>`, or `demo`.' }),
      role: t.field({ type: AccessRole, description: 'The caller’s role.', resolve: (e) => e.role }),
      operationName: t.exposeString('operationName', { nullable: true, description: 'The operation name, if any.' }),
      documentHash: t.exposeString('documentHash', { description: 'sha256 (hex) of the GraphQL document.' }),
      variables: t.string({
        description: 'The variables as JSON, each value that could name a person replaced by `[redacted]`.',
        resolve: (e) => JSON.stringify(e.variables),
      }),
      records: t.field({
        type: [RecordCount],
        description: 'Record-level objects returned, by type, most first.',
        resolve: (e) =>
          Object.entries(e.records as Record<string, number>)
            .map(([type, count]) => ({ type, count }))
            .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      }),
      recordCount: t.exposeInt('recordCount', { description: 'All record-level objects returned.' }),
      services: t.exposeStringList('services', { description: 'Services (plugin slugs) whose records were returned.' }),
    }),
  });

  builder.queryField('auditLog', (t) =>
    t.prismaField({
      type: ['AuditLog'],
      authScopes: { analyst: true },
      description:
        'Record-level reads, newest first: every entry for a directorate analyst, entries that returned its services’ records for a service analyst.',
      args: {
        first: t.arg.int({ defaultValue: 50, description: `How many entries, 1 to ${MAX_AUDIT_PAGE}.` }),
        after: t.arg.int({ required: false, description: 'Only entries older than this id (the last id of a page).' }),
        keyId: t.arg.string({ required: false, description: 'Only this API key’s requests.' }),
        since: t.arg({ type: 'DateTime', required: false, description: 'Only entries at or after this instant.' }),
      },
      resolve: (query, _root, args, ctx) => {
        const first = args.first ?? 50;
        if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
          throw new UserInputError(`first must be a whole number from 1 to ${MAX_AUDIT_PAGE}; got ${first}`, 'first');
        }
        return ctx.db.prisma.auditLog.findMany({
          ...query,
          where: {
            ...(args.after ? { id: { lt: args.after } } : {}),
            ...(args.keyId ? { keyId: args.keyId } : {}),
            ...(args.since ? { at: { gte: args.since } } : {}),
            ...(ctx.viewer.role === 'DIRECTORATE_ANALYST' ? {} : { services: { hasSome: ctx.viewer.services } }),
          },
          orderBy: { id: 'desc' },
          take: first,
        });
      },
    }),
  );
}
