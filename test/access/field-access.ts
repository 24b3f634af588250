// Who may read each field of the schema: the declaration matrix.test.ts checks every role against. Core's
// own types and fields are declared here; each plugin declares the types and fields it adds, its fields on
// Query and Area included, in services/<slug>/access.ts (its `fieldAccess`). Every field of every object
// type (Query and Mutation included) is declared once, by core or by the plugin that adds it; a field the
// schema has and no declaration lists fails the test, which prints a declaration to paste after review.
// The vocabulary (everyone, analysts, directorate, records) and its rules: src/core/access/field-access.ts.
// These are the test's independent statement of intent: nothing in src/ reads them (access is enforced by
// the Pothos scopes), so the test cannot pass by construction.
import { type Access, analysts, directorate, everyone, type FieldAccess } from '../../src/core/access/field-access.js';
import type { ServicePlugin } from '../../src/core/plugin.js';

export type { Access, FieldAccess };

export const CORE_FIELD_ACCESS: FieldAccess = {
  // Roots. Writes are the directorate's; the audit log and import runs are operational data for analysts.
  Query: {
    ...everyone('area areas cohort cohorts importFormats indicator indicators period periods scorecard viewer'),
    ...analysts('auditLog imports'),
  },
  Mutation: directorate('importFile'),

  // Core: geography, periods, the viewer, the indicator catalogue and the reporting engine's figures.
  Area: everyone('children code level name parent statisticalNeighbours'),
  Period: everyone('code end identifier label previous start type'),
  Viewer: everyone('disclosureControl name role services'),
  Indicator: everyone(
    'amberTolerance code decimalPlaces description dimensions fromRecords name periodType polarity series service unit value',
  ),
  IndicatorValue: everyone(
    'area breakdown change ci95 denominator direction gap indicator national neighbourAverage numerator period previous quartile rank source status target value',
  ),
  Figure: everyone('formatted symbol value'),
  Gap: everyone('comparator group national significant smallCohort value'),
  GroupValue: everyone('ci95 code denominator group label numerator value'),
  Interval: everyone('lower upper'),
  Rank: everyone('of position'),
  Target: everyone('kind value'),
  Scorecard: everyone('area period rows'),
  Cohort: everyone('key periodType service title'),
  CohortFigures: everyone('area breakdown cohort overlap period size'),
  Overlap: everyone('count period shareOfOther shareOfThis with'),

  // Access control and ingestion.
  AuditEntry: analysts('at documentHash id keyId operationName recordCount records role services subject variables'),
  AuditRecordCount: analysts('count type'),
  Import: analysts(
    'dryRun errorCount fileName finishedAt format id inserted message ranBy rows sha256 startedAt status unchanged updated',
  ),
  ImportFormat: everyone('columns description exampleCsv name options'),
  ImportColumn: everyone('description name required type'),
  ImportOption: everyone('description name required'),
  ImportReport: directorate(
    'created dryRun errorCount errors fileName format import inserted message rows sha256 skipped status unchanged updated',
  ),
  ImportCreatedCount: directorate('count table'),
  ImportRowError: directorate('column line message value'),
};

/** Where each declaration lives, for messages: core's here, a plugin's in its folder. */
export const CORE_DECLARATION = 'test/access/field-access.ts';
export const pluginDeclaration = (slug: string) => `services/${slug}/access.ts`;

/**
 * Core's declaration merged with the given plugins' `fieldAccess`, with where each field is declared. A
 * field declared twice (by core and a plugin, or by two plugins) is an error: each is declared once, by
 * whoever adds it.
 */
export function fieldAccess(services: readonly Pick<ServicePlugin, 'slug' | 'fieldAccess'>[]): {
  access: FieldAccess;
  declaredIn: Map<string, string>;
} {
  const access: FieldAccess = {};
  const declaredIn = new Map<string, string>();
  const sources: [string, FieldAccess][] = [
    [CORE_DECLARATION, CORE_FIELD_ACCESS],
    ...services.map((s): [string, FieldAccess] => [pluginDeclaration(s.slug), s.fieldAccess ?? {}]),
  ];
  for (const [where, declaration] of sources) {
    for (const [type, fields] of Object.entries(declaration)) {
      for (const [field, a] of Object.entries(fields)) {
        const name = `${type}.${field}`;
        const other = declaredIn.get(name);
        if (other) throw new Error(`${name} is declared twice: in ${other} and in ${where}`);
        declaredIn.set(name, where);
        access[type] = { ...access[type], [field]: a };
      }
    }
  }
  return { access, declaredIn };
}
