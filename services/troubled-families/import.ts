// The troubled families record extracts the plugin accepts: families, their members, payment-by-results
// claims and early help cases. Columns are exactly as the extracts name them; the ingestion framework
// does parsing, line/column errors, reference checks, the transaction and idempotency.
import { z } from 'zod';
import { iso } from '../../src/core/dates.js';
import { districtLevelErrors } from '../../src/core/ingest/checks.js';
import { BOOLEAN_TYPE, blankAsNull, boolean, DATE_TYPE, isoDate, oneOf, text } from '../../src/core/ingest/fields.js';
import type { ImportFormat, ParsedRow, RowError } from '../../src/core/ingest/types.js';
import { tableWriter } from '../../src/core/ingest/upsert.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { type FamilyWrite, upsertFamilies } from './families-table.js';
import { CLAIM_TABLE, EARLY_HELP_CASE_TABLE, type EarlyHelpCaseRecord, MEMBER_TABLE } from './tables.js';

export const HEADLINE_CRITERIA = [
  'CRIME_ASB',
  'EDUCATION',
  'CHILDREN_IN_NEED',
  'WORKLESSNESS',
  'DOMESTIC_ABUSE',
  'HEALTH',
] as const;
export const MEMBER_ROLES = ['ADULT', 'CHILD'] as const;
export const CLAIM_OUTCOMES = ['SIGNIFICANT_AND_SUSTAINED_PROGRESS', 'CONTINUOUS_EMPLOYMENT'] as const;
export const CLAIM_STATUSES = ['SUBMITTED', 'VALIDATED', 'PAID', 'REJECTED'] as const;
export const CLOSURE_REASONS = [
  'OUTCOMES_ACHIEVED',
  'STEPPED_UP_TO_SOCIAL_CARE',
  'DISENGAGED',
  'MOVED_AWAY',
  'OTHER',
] as const;

const criteriaCell = () =>
  z.string().transform((s, ctx) => {
    const parts = s
      .split('|')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = parts.filter((p) => !(HEADLINE_CRITERIA as readonly string[]).includes(p));
    if (!parts.length || bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `expected headline criteria separated by |, each one of ${HEADLINE_CRITERIA.join('|')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`,
      });
      return z.NEVER;
    }
    // Stored once each, in the national order, so a re-import in another order changes nothing.
    return HEADLINE_CRITERIA.filter((c) => parts.includes(c));
  });

export const familiesFormat: ImportFormat<FamilyWrite> = {
  name: 'troubled-families/families',
  description:
    'Families attached to the Troubled Families programme: one row per family, with the district, the date attached and the national headline criteria met. Re-importing updates district, date and criteria.',
  columns: [
    { name: 'family_id', type: 'text', required: true, description: 'The council’s pseudonymous family identifier.' },
    {
      name: 'district_code',
      type: 'district code',
      required: true,
      description: 'ONS code of the district the family was attached in (an Area of level DISTRICT).',
    },
    {
      name: 'attached_on',
      type: DATE_TYPE,
      required: true,
      description: 'Date the family was attached to the programme.',
    },
    {
      name: 'criteria',
      type: `|-separated, each one of ${HEADLINE_CRITERIA.join('|')}`,
      required: true,
      description: 'The national headline criteria the family met when attached, e.g. `EDUCATION|WORKLESSNESS`.',
    },
  ],
  example: {
    family_id: 'F000001',
    district_code: 'E07000110',
    attached_on: '2016-05-12',
    criteria: 'EDUCATION|HEALTH',
  },
  row: z
    .object({
      family_id: text('a family id'),
      district_code: text('a district code'),
      attached_on: isoDate(),
      criteria: criteriaCell(),
    })
    .transform((r) => ({
      id: r.family_id,
      districtCode: r.district_code,
      attachedOn: r.attached_on,
      criteria: [...r.criteria],
    })),
  references: [{ column: 'district_code', table: 'Area', tableColumn: 'code' }],
  key: (r) => r.id,
  keyColumns: ['family_id'],
  check: districtLevelErrors,
  write: upsertFamilies,
  tables: ['TroubledFamily'],
};

interface MemberWrite {
  familyId: string;
  personId: string;
  role: (typeof MEMBER_ROLES)[number];
}

export const membersFormat: ImportFormat<MemberWrite> = {
  name: 'troubled-families/members',
  description:
    'Members of troubled families: one row per family and person (children and young people known to the directorate). Re-importing updates the role.',
  columns: [
    {
      name: 'family_id',
      type: 'text',
      required: true,
      description: 'A family already imported (troubled-families/families).',
    },
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    {
      name: 'role',
      type: `one of ${MEMBER_ROLES.join('|')}`,
      required: true,
      description: 'ADULT or CHILD in the family.',
    },
  ],
  example: { family_id: 'F000001', person_id: 'P0000001', role: 'CHILD' },
  row: z
    .object({ family_id: text('a family id'), person_id: text('a person id'), role: oneOf(MEMBER_ROLES) })
    .transform((r) => ({ familyId: r.family_id, personId: r.person_id, role: r.role })),
  references: [
    { column: 'family_id', table: 'TroubledFamily', tableColumn: 'id' },
    { column: 'person_id', table: 'Person', tableColumn: 'id' },
  ],
  key: (r) => `${r.familyId}\u0000${r.personId}`,
  keyColumns: ['family_id', 'person_id'],
  write: tableWriter(MEMBER_TABLE),
  tables: ['TroubledFamilyMember'],
};

interface ClaimWrite {
  id: string;
  familyId: string;
  window: string;
  submittedOn: Date;
  outcome: (typeof CLAIM_OUTCOMES)[number];
  status: (typeof CLAIM_STATUSES)[number];
}

export const claimsFormat: ImportFormat<ClaimWrite> = {
  name: 'troubled-families/claims',
  description:
    'Payment-by-results claims: one row per claim, with its claim window, submission date, outcome and audit status (REJECTED claims never count). Re-importing updates window, date, outcome and status.',
  columns: [
    { name: 'claim_id', type: 'text', required: true, description: 'The claim’s identifier.' },
    {
      name: 'family_id',
      type: 'text',
      required: true,
      description: 'The family claimed for (troubled-families/families).',
    },
    { name: 'window', type: 'text', required: true, description: 'Claim window label, e.g. `JAN 17`.' },
    {
      name: 'submitted_on',
      type: DATE_TYPE,
      required: true,
      description: 'Date the claim was submitted; it counts in the financial year containing it.',
    },
    {
      name: 'outcome',
      type: `one of ${CLAIM_OUTCOMES.join('|')}`,
      required: true,
      description: 'What the claim is for.',
    },
    {
      name: 'status',
      type: `one of ${CLAIM_STATUSES.join('|')}`,
      required: true,
      description: 'Where the claim is in its audit.',
    },
  ],
  example: {
    claim_id: 'C000001',
    family_id: 'F000001',
    window: 'JAN 17',
    submitted_on: '2017-01-27',
    outcome: 'SIGNIFICANT_AND_SUSTAINED_PROGRESS',
    status: 'VALIDATED',
  },
  row: z
    .object({
      claim_id: text('a claim id'),
      family_id: text('a family id'),
      window: text('a claim window label'),
      submitted_on: isoDate(),
      outcome: oneOf(CLAIM_OUTCOMES),
      status: oneOf(CLAIM_STATUSES),
    })
    .transform((r) => ({
      id: r.claim_id,
      familyId: r.family_id,
      window: r.window,
      submittedOn: r.submitted_on,
      outcome: r.outcome,
      status: r.status,
    })),
  references: [{ column: 'family_id', table: 'TroubledFamily', tableColumn: 'id' }],
  key: (r) => r.id,
  keyColumns: ['claim_id'],
  // A claim is for progress made on the programme: it cannot predate the family's attachment.
  check: async (db, rows) => {
    const ids = [...new Set(rows.map((r) => r.row.familyId))];
    const families = await db.troubledFamily.findMany({
      where: { id: { in: ids } },
      select: { id: true, attachedOn: true },
    });
    const attached = new Map(families.map((f) => [f.id, f.attachedOn]));
    return rows.flatMap((r) => {
      const on = attached.get(r.row.familyId);
      return on && r.row.submittedOn < on
        ? [
            {
              line: r.line,
              column: 'submitted_on',
              value: iso(r.row.submittedOn),
              message: `submitted_on is before family ${r.row.familyId} was attached (${iso(on)})`,
            },
          ]
        : [];
    });
  },
  write: tableWriter(CLAIM_TABLE),
  tables: ['PbrClaim'],
};

export const earlyHelpCasesFormat: ImportFormat<EarlyHelpCaseRecord> = {
  name: 'troubled-families/early-help-cases',
  description:
    'Early help cases: one row per case, from the early help case management system. A closed case has both closed_on and closure_reason; an open case has neither. Re-importing updates every column.',
  columns: [
    { name: 'case_id', type: 'text', required: true, description: 'The case identifier.' },
    { name: 'person_id', type: 'text', required: true, description: 'The child or young person (core/people).' },
    {
      name: 'district_code',
      type: 'district code',
      required: true,
      description: 'ONS code of the district whose early help unit holds the case (an Area of level DISTRICT).',
    },
    {
      name: 'family_id',
      type: 'text, or blank',
      required: true,
      description: 'The troubled family the case is worked with (troubled-families/families); blank when none.',
    },
    { name: 'opened_on', type: DATE_TYPE, required: true, description: 'Date the case was opened.' },
    {
      name: 'closed_on',
      type: `${DATE_TYPE}, or blank`,
      required: true,
      description: 'Date closed; blank while open.',
    },
    {
      name: 'closure_reason',
      type: `one of ${CLOSURE_REASONS.join('|')}, or blank`,
      required: true,
      description: 'Why the case closed; blank while open.',
    },
    {
      name: 'step_down',
      type: BOOLEAN_TYPE,
      required: true,
      description: 'The case came as a step-down from specialist children’s services (social care).',
    },
    {
      name: 'intensive',
      type: BOOLEAN_TYPE,
      required: true,
      description: 'Intensive support in an early help unit (true) rather than open access (false).',
    },
  ],
  example: {
    case_id: 'EH0000001',
    person_id: 'P0000001',
    district_code: 'E07000110',
    family_id: 'F000001',
    opened_on: '2016-04-11',
    closed_on: '2016-09-30',
    closure_reason: 'OUTCOMES_ACHIEVED',
    step_down: 'N',
    intensive: 'Y',
  },
  row: z
    .object({
      case_id: text('a case id'),
      person_id: text('a person id'),
      district_code: text('a district code'),
      family_id: blankAsNull(text()),
      opened_on: isoDate(),
      closed_on: blankAsNull(isoDate()),
      closure_reason: blankAsNull(oneOf(CLOSURE_REASONS)),
      step_down: boolean(),
      intensive: boolean(),
    })
    .superRefine((r, ctx) => {
      if (r.closed_on && r.closed_on < r.opened_on) {
        ctx.addIssue({
          code: 'custom',
          path: ['closed_on'],
          message: `closed_on is before opened_on (${iso(r.opened_on)})`,
        });
      }
      if (r.closed_on && !r.closure_reason) {
        ctx.addIssue({ code: 'custom', path: ['closure_reason'], message: 'a closed case needs a closure_reason' });
      }
      if (!r.closed_on && r.closure_reason) {
        ctx.addIssue({
          code: 'custom',
          path: ['closed_on'],
          message: 'a case with a closure_reason needs its closed_on date',
        });
      }
    })
    .transform((r) => ({
      id: r.case_id,
      personId: r.person_id,
      districtCode: r.district_code,
      familyId: r.family_id,
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      closureReason: r.closure_reason,
      stepDown: r.step_down,
      intensive: r.intensive,
    })),
  references: [
    { column: 'person_id', table: 'Person', tableColumn: 'id' },
    { column: 'district_code', table: 'Area', tableColumn: 'code' },
    { column: 'family_id', table: 'TroubledFamily', tableColumn: 'id' },
  ],
  key: (r) => r.id,
  keyColumns: ['case_id'],
  check: districtLevelErrors,
  write: tableWriter(EARLY_HELP_CASE_TABLE),
  tables: ['EarlyHelpCase'],
};

export const troubledFamiliesImporters = [familiesFormat, membersFormat, claimsFormat, earlyHelpCasesFormat];
