// Who may read what, as plain functions: the scopes @pothos/plugin-scope-auth checks on types and fields,
// and `recordLevel(slug)`, the one way a plugin marks a type or field as record level. Enforcement lives
// in the schema (scope-auth), never in resolvers, so the role x field matrix test can check all of it.
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Role, Viewer } from './viewer.js';

export const ROLES: readonly Role[] = ['DIRECTORATE_ANALYST', 'SERVICE_ANALYST', 'PARTNER', 'PUBLIC'];

/** The scopes a type or field can require (the builder's `AuthScopes`). */
export interface Scopes {
  /** A directorate analyst or a service analyst (of any service). */
  analyst: boolean;
  /** A directorate analyst: everything, including writes. */
  directorate: boolean;
  /** Records of one service (plugin slug): a directorate analyst, or a service analyst of that service. */
  service: string;
  partner: boolean;
  public: boolean;
  /** Any caller the server let in (the default for aggregates): one of the four roles. */
  authenticated: boolean;
}

export function isAnalyst(viewer: Pick<Viewer, 'role'>): boolean {
  return viewer.role === 'DIRECTORATE_ANALYST' || viewer.role === 'SERVICE_ANALYST';
}

/** May this viewer read the records of the service `slug`? A service analyst with no services reads none. */
export function mayReadRecords(viewer: Pick<Viewer, 'role' | 'services'>, slug: string): boolean {
  if (viewer.role === 'DIRECTORATE_ANALYST') return true;
  return viewer.role === 'SERVICE_ANALYST' && viewer.services.includes(slug);
}

/** The scope initializer: what this request's viewer holds. */
export function scopesFor(viewer: Viewer) {
  return {
    analyst: isAnalyst(viewer),
    directorate: viewer.role === 'DIRECTORATE_ANALYST',
    service: (slug: string) => mayReadRecords(viewer, slug),
    partner: viewer.role === 'PARTNER',
    public: viewer.role === 'PUBLIC',
    authenticated: ROLES.includes(viewer.role),
  };
}

/** The GraphQL `extensions` key marking a record-level type or field: the audit log counts these. */
export const RECORD_LEVEL = 'cypeRecordLevel';

/**
 * Marks a type or field as record level (one row per child, family, case, setting…) or person level, for
 * the service `slug`: only directorate analysts and that service's analysts may read it, and each read is
 * written to the audit log. Spread it into the options: `builder.prismaObject('EarlyHelpCase', {
 * ...recordLevel('troubled-families'), fields })`, and on the list fields returning such types
 * (`t.field({ ...recordLevel('send'), type: EhcAssessmentPage, ... })`), whose totals are record level too.
 */
export function recordLevel(slug: string) {
  return {
    authScopes: { service: slug },
    extensions: { [RECORD_LEVEL]: slug },
  } as const;
}

/**
 * The error for a field the viewer may not read. No HTTP status: the rest of the response is still
 * delivered (200 with partial data), the field is null and its error says which role it is closed to.
 */
export function notAuthorized(
  info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>,
  viewer: Viewer,
): GraphQLError {
  const who =
    viewer.role === 'SERVICE_ANALYST'
      ? `a SERVICE_ANALYST of ${viewer.services.join(', ') || 'no services'}`
      : viewer.role;
  return new GraphQLError(`Not authorized: ${info.parentType.name}.${info.fieldName} is not available to ${who}.`, {
    extensions: { code: 'FORBIDDEN' },
  });
}
