// The vocabulary of field access declarations: who may read a field, written once by whoever adds the field
// (core's own types in test/access/field-access.ts, each plugin's in services/<slug>/access.ts). A
// declaration is a statement of intent that test/access/matrix.test.ts checks the live schema against, run
// as every role: nothing in src/ reads one, since access is enforced by the Pothos scopes
// (src/core/access/scopes.ts), so the matrix cannot pass by construction. Rules (DESIGN.md "Access and
// disclosure", issue 8):
// - records(slug): record-level types and person-level fields, and the pages and lists returning them:
//   directorate analysts, and service analysts of that service;
// - everyone(...): aggregates, catalogues and reference data: every role, partners and the public included
//   (under disclosure control);
// - analysts(...): operational data about the service itself (audit log): both analyst roles;
// - directorate(...): writes (imports).
// Access is what the role can read through the API, whatever enforces it (the field's scope, its type's,
// or an ancestor's): a field of a record-level type is `records(<its service>)` even where only the list
// field above it carries the scope.

export type Access = 'everyone' | 'analysts' | 'directorate' | { records: string };

/** Access by type name, then field name: `{ Area: { earlyYears: 'everyone' } }`. */
export type FieldAccess = Record<string, Record<string, Access>>;

const declare = (access: Access, names: string): Record<string, Access> =>
  Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, access]),
  );

/** Fields every role reads: aggregates under disclosure control, catalogues, reference data. */
export const everyone = (names: string) => declare('everyone', names);
/** Fields for directorate and service analysts (any service). */
export const analysts = (names: string) => declare('analysts', names);
/** Fields for directorate analysts only. */
export const directorate = (names: string) => declare('directorate', names);
/** Record-level or person-level fields of the service `slug`: directorate analysts and its service analysts. */
export const records = (slug: string, names: string) => declare({ records: slug }, names);
