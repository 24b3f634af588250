// Access control, partner API and abuse resistance (DESIGN.md "Access and disclosure"): what the rest of
// the code uses. Plugins need only `recordLevel`.
export { countRecords, redactVariables } from './audit.js';
export { type Authenticator, CredentialError, createAuthenticator } from './authenticate.js';
export { registerAccess } from './graphql.js';
export { createKey, type KeyRow, keyProblem, listKeys, type NewKey, revokeKey } from './keys.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export { allowedOperations, loadPartnerOperations, type PartnerOperation } from './operations.js';
export { isAnalyst, mayReadRecords, RECORD_LEVEL, ROLES, recordLevel, scopesFor } from './scopes.js';
export { type Access, type AccessOptions, createAccess, PUBLIC_VIEWER } from './yoga.js';
