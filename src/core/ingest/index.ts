// The ingestion framework's public face. A service plugin declares formats with the ImportFormat contract
// (./types.ts), builds row schemas from the shared cell parsers (./fields.ts) and writes with the generic
// idempotent upsert (./upsert.ts); runImport does the rest.
export { districtLevelErrors } from './checks.js';
export * from './fields.js';
export { coreFormats, exampleCsv, findImportFormat, importFormats } from './registry.js';
export {
  IMPORT_TRANSACTION_TIMEOUT_MS,
  ImportOptionError,
  type ImportProgress,
  type ImportReport,
  type ImportStatus,
  MAX_ERROR_DETAILS,
  type RunImportOptions,
  runImport,
} from './run.js';
export type * from './types.js';
export { addCounts, ensurePeriods, type TableSpec, tableWriter, upsertRows, WRITE_BATCH } from './upsert.js';
