// The Pothos builder: plugins, scalars, the Context type and empty root types. It defines no types:
// core types live in src/core, service types in services/<area>. A fresh builder per schema lets one
// process build several schemas (CYPE_SERVICES subsets in tests).
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { notAuthorized, type Scopes, scopesFor } from './core/access/scopes.js';
import type { Figure } from './core/reporting/engine.js';
import type { IndicatorInfo, IndicatorValueRef } from './core/reporting/indicator-types.js';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';

export interface BuilderTypes {
  PrismaTypes: PrismaTypes;
  // Context: the request context, merged in by src/context.ts (which imports this module, not the reverse).
  // Who may read what (src/core/access/scopes.ts); record-level types use recordLevel(slug).
  AuthScopes: Scopes;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date | string };
    /** An uploaded file (GraphQL multipart request), as the WHATWG File Yoga hands resolvers. */
    File: { Input: File; Output: never };
  };
  // Reporting types plugins name as strings (`type: 'IndicatorValue'`); implemented in src/core/reporting.
  Objects: {
    Indicator: IndicatorInfo;
    IndicatorValue: IndicatorValueRef;
    Figure: Figure;
  };
}

export function createBuilder() {
  const builder = new SchemaBuilder<BuilderTypes>({
    // Scope auth first, so no other plugin's resolver wrapper runs before the check.
    plugins: [ScopeAuthPlugin, PrismaPlugin, DataloaderPlugin, SimpleObjectsPlugin],
    scopeAuth: {
      authScopes: (ctx) => scopesFor(ctx.viewer),
      treatErrorsAsUnauthorized: true,
      unauthorizedError: (_parent, ctx, info) => notAuthorized(info, ctx.viewer),
    },
    defaultFieldNullability: false,
    prisma: {
      client: (ctx) => ctx.db.prisma,
      dmmf: getDatamodel(),
      exposeDescriptions: true,
      filterConnectionTotalCount: true,
      onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
    },
  });

  builder.queryType({
    description: 'Read the directorate: areas, periods, indicators and every service.',
    // Aggregates are for every caller the server let in; record-level fields add their own scopes.
    authScopes: { authenticated: true },
  });
  builder.mutationType({
    description: 'Change the store: load CSV files (importFile).',
    authScopes: { directorate: true },
  });
  builder.scalarType('File', {
    description: 'A file sent with the GraphQL multipart request specification (e.g. a CSV to import).',
    serialize: () => {
      throw new TypeError('File is an input-only scalar');
    },
  });

  builder.scalarType('Date', {
    description: 'A calendar date, ISO 8601 `YYYY-MM-DD`.',
    serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
    parseValue: (v) => parseIsoDate(v),
  });
  builder.scalarType('DateTime', {
    description: 'An instant, ISO 8601 with time zone, e.g. `2017-01-31T09:00:00.000Z`.',
    serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
    parseValue: (v) => {
      const d = new Date(String(v));
      if (Number.isNaN(d.getTime())) throw new TypeError(`"${v}" is not an ISO 8601 date-time`);
      return d;
    },
  });
  return builder;
}

function parseIsoDate(v: unknown): Date {
  const s = String(v);
  const d = new Date(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
    throw new TypeError(`"${s}" is not a date: expected YYYY-MM-DD`);
  }
  return d;
}

export type Builder = ReturnType<typeof createBuilder>;
