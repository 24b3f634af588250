// Who is asking: the role and services a request was let in with (src/core/access decides them; every
// scope and rule reads them). Type-only, so access rules and the builder's scopes import no context code.
export type Role = 'DIRECTORATE_ANALYST' | 'SERVICE_ANALYST' | 'PARTNER' | 'PUBLIC';

export interface Viewer {
  role: Role;
  /** Services a SERVICE_ANALYST or PARTNER may see (plugin slugs); empty = all for analysts. */
  services: string[];
  /** Name of the API key or subject, for audit. */
  name: string;
  /** How the caller got in (src/core/access): an API key, a JWT, or the server's default for no credentials. */
  via?: 'key' | 'jwt' | 'default';
  /** The ApiKey id, when `via` is `key` (audit, rate limits). */
  keyId?: string;
  /** Partner operations (names) this credential may run; set = arbitrary documents are refused. */
  operations?: string[];
}
