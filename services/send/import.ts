// SEND CSV formats: EHC needs assessments (request, decision, issue, outcome, need, exception), EHC plans,
// and commissioned specialist provision. The framework (src/core/ingest) parses, reports errors by line and
// column, checks references and runs one transaction; these say what a valid row is.
import { z } from 'zod';
import { arrayLiteral } from '../../src/core/bulk.js';
import { iso } from '../../src/core/dates.js';
import { districtLevelErrors } from '../../src/core/ingest/checks.js';
import {
  BOOLEAN_TYPE,
  blankAsNull,
  boolean,
  DATE_TYPE,
  eesPeriod,
  integer,
  isoDate,
  oneOf,
  text,
} from '../../src/core/ingest/fields.js';
import type { ImportFormat, ParsedRow, RowError } from '../../src/core/ingest/types.js';
import { tableWriter, upsertPeriodRows } from '../../src/core/ingest/upsert.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import type { Tx } from '../../src/db.js';
import { EHC_ASSESSMENT_TABLE, EHC_PLAN_TABLE, SPECIALIST_PROVISION_TABLE } from './tables.js';

export const PRIMARY_NEEDS = [
  'ASD',
  'SLCN',
  'SEMH',
  'MLD',
  'SLD',
  'PMLD',
  'SPLD',
  'HI',
  'VI',
  'MSI',
  'PD',
  'OTH',
] as const;
export type PrimaryNeed = (typeof PRIMARY_NEEDS)[number];
export const OUTCOMES = ['ISSUED', 'NOT_ISSUED', 'IN_PROGRESS', 'WITHDRAWN'] as const;
export const PROVISION_TYPES = ['SPECIAL_SCHOOL', 'SRP', 'SATELLITE'] as const;
const NEED_TYPE = `one of ${PRIMARY_NEEDS.join('|')}`;

// ---------------------------------------------------------------- send/assessments

export interface AssessmentImportRow {
  id: string;
  personId: string;
  requestedOn: Date;
  decidedOn: Date | null;
  issuedOn: Date | null;
  outcome: (typeof OUTCOMES)[number];
  primaryNeed: PrimaryNeed | null;
  exception: boolean;
}

export const assessmentsFormat: ImportFormat<AssessmentImportRow> = {
  name: 'send/assessments',
  description:
    'EHC needs assessments, one row per assessment: the request, the decision, the final plan and the outcome. ' +
    'Dates that the outcome has not reached are left blank (an ISSUED assessment has all three; NOT_ISSUED a ' +
    'decision and no issue date; IN_PROGRESS and WITHDRAWN no issue date). Re-importing updates by assessment_id.',
  columns: [
    { name: 'assessment_id', type: 'text', required: true, description: 'The council’s assessment (case) identifier.' },
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    {
      name: 'requested_on',
      type: DATE_TYPE,
      required: true,
      description: 'Date the request for an assessment was received.',
    },
    {
      name: 'decided_on',
      type: `${DATE_TYPE}, or blank`,
      required: true,
      description:
        'Date the council decided whether to issue a plan (or not to assess); required for ISSUED and NOT_ISSUED.',
    },
    {
      name: 'issued_on',
      type: `${DATE_TYPE}, or blank`,
      required: true,
      description: 'Date the final EHC plan was issued; only for ISSUED.',
    },
    {
      name: 'outcome',
      type: `one of ${OUTCOMES.join('|')}`,
      required: true,
      description: 'Where the assessment ended up.',
    },
    {
      name: 'primary_need',
      type: `${NEED_TYPE}, or blank`,
      required: true,
      description: 'Primary type of need (DfE code); required for ISSUED.',
    },
    {
      name: 'exception',
      type: BOOLEAN_TYPE,
      required: true,
      description: 'A statutory exception to the 20-week timescale applies (excluded from the 20-week measure).',
    },
  ],
  example: {
    assessment_id: 'EHC2016-000123',
    person_id: 'P0001234',
    requested_on: '2016-03-01',
    decided_on: '2016-06-14',
    issued_on: '2016-07-12',
    outcome: 'ISSUED',
    primary_need: 'ASD',
    exception: 'N',
  },
  row: z
    .object({
      assessment_id: text('an assessment id'),
      person_id: text('a person id'),
      requested_on: isoDate(),
      decided_on: blankAsNull(isoDate()),
      issued_on: blankAsNull(isoDate()),
      outcome: oneOf(OUTCOMES),
      primary_need: blankAsNull(oneOf(PRIMARY_NEEDS)),
      exception: boolean(),
    })
    .transform((r, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (r.outcome === 'ISSUED') {
        if (!r.issued_on) issue('issued_on', 'expected the date the plan was issued: the outcome is ISSUED');
        if (!r.decided_on) issue('decided_on', 'expected the date of the decision to issue: the outcome is ISSUED');
        if (!r.primary_need)
          issue('primary_need', `expected the plan’s primary need (${NEED_TYPE}): the outcome is ISSUED`);
      } else if (r.issued_on) {
        issue('issued_on', `expected a blank: an assessment with outcome ${r.outcome} has no issued plan`);
      }
      if (r.outcome === 'NOT_ISSUED' && !r.decided_on) {
        issue(
          'decided_on',
          'expected the date of the decision not to assess or not to issue: the outcome is NOT_ISSUED',
        );
      }
      if (r.decided_on && r.decided_on < r.requested_on) {
        issue('decided_on', `expected a date on or after requested_on (${iso(r.requested_on)})`);
      }
      const after = r.decided_on ?? r.requested_on;
      if (r.issued_on && r.issued_on < after) {
        issue(
          'issued_on',
          `expected a date on or after ${r.decided_on ? 'decided_on' : 'requested_on'} (${iso(after)})`,
        );
      }
      return {
        id: r.assessment_id,
        personId: r.person_id,
        requestedOn: r.requested_on,
        decidedOn: r.decided_on,
        issuedOn: r.issued_on,
        outcome: r.outcome,
        primaryNeed: r.primary_need,
        exception: r.exception,
      };
    }),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => r.id,
  keyColumns: ['assessment_id'],
  write: tableWriter(EHC_ASSESSMENT_TABLE),
  tables: ['EhcAssessment'],
};

// ---------------------------------------------------------------- send/plans

export interface PlanImportRow {
  personId: string;
  startedOn: Date;
  endedOn: Date | null;
  primaryNeed: PrimaryNeed;
}

export const plansFormat: ImportFormat<PlanImportRow> = {
  name: 'send/plans',
  description:
    'EHC plans (transferred statements included), one row per plan: the person, the start, the end (blank while ' +
    'in force) and the primary need. A person has one plan at a time: plans of the same person may not overlap, ' +
    'in the file or with plans already stored. Re-importing updates by person and start date.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'started_on', type: DATE_TYPE, required: true, description: 'Date the plan was issued (in force from).' },
    {
      name: 'ended_on',
      type: `${DATE_TYPE}, or blank`,
      required: true,
      description: 'Date the plan ceased (not in force from that day); blank while in force.',
    },
    { name: 'primary_need', type: NEED_TYPE, required: true, description: 'Primary type of need (DfE code).' },
  ],
  example: { person_id: 'P0001234', started_on: '2016-07-12', ended_on: '', primary_need: 'ASD' },
  row: z
    .object({
      person_id: text('a person id'),
      started_on: isoDate(),
      ended_on: blankAsNull(isoDate()),
      primary_need: oneOf(PRIMARY_NEEDS),
    })
    .transform((r, ctx) => {
      if (r.ended_on && r.ended_on <= r.started_on) {
        ctx.addIssue({
          code: 'custom',
          path: ['ended_on'],
          message: `expected a date after started_on (${iso(r.started_on)})`,
        });
      }
      return { personId: r.person_id, startedOn: r.started_on, endedOn: r.ended_on, primaryNeed: r.primary_need };
    }),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${iso(r.startedOn)}`,
  keyColumns: ['person_id', 'started_on'],
  check: overlappingPlans,
  write: tableWriter(EHC_PLAN_TABLE),
  tables: ['EhcPlan'],
};

/** Plans of one person that would be in force on the same day, after this file is applied to the store. */
async function overlappingPlans(db: Tx, rows: ParsedRow<PlanImportRow>[]): Promise<RowError[]> {
  const people = [...new Set(rows.map((r) => r.row.personId))];
  const plans = new Map<string, { line: number | null; startedOn: Date; endedOn: Date | null }>();
  for (let i = 0; i < people.length; i += 10_000) {
    const stored = await db.$queryRawUnsafe<
      { personId: string; startedOn: Date | string; endedOn: Date | string | null }[]
    >(
      'SELECT "personId", "startedOn", "endedOn" FROM "EhcPlan" WHERE "personId" = ANY($1::text::text[])',
      arrayLiteral(people.slice(i, i + 10_000)),
    );
    for (const s of stored) {
      const startedOn = new Date(s.startedOn);
      plans.set(`${s.personId}|${iso(startedOn)}`, {
        line: null,
        startedOn,
        endedOn: s.endedOn ? new Date(s.endedOn) : null,
      });
    }
  }
  // The file's rows replace stored plans with the same key.
  for (const { line, row } of rows)
    plans.set(`${row.personId}|${iso(row.startedOn)}`, { line, startedOn: row.startedOn, endedOn: row.endedOn });
  const byPerson = new Map<string, { line: number | null; startedOn: Date; endedOn: Date | null }[]>();
  for (const [key, plan] of plans) {
    const person = key.slice(0, key.lastIndexOf('|'));
    byPerson.set(person, [...(byPerson.get(person) ?? []), plan]);
  }
  const errors: RowError[] = [];
  for (const [person, list] of byPerson) {
    list.sort((a, b) => a.startedOn.getTime() - b.startedOn.getTime());
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1];
      const plan = list[i];
      if (before.endedOn && before.endedOn <= plan.startedOn) continue;
      // Report on the file's line: the later plan when it is in the file, else the earlier one.
      const at = plan.line !== null ? plan : before;
      const other = at === plan ? before : plan;
      errors.push({
        line: at.line as number,
        column: at === plan ? 'started_on' : 'ended_on',
        value: iso(at === plan ? plan.startedOn : (before.endedOn ?? before.startedOn)),
        message: `${person} would have two plans in force at once: ${other.line !== null ? `line ${other.line}` : 'a stored plan'} starts ${iso(other.startedOn)}${other.endedOn ? ` and ends ${iso(other.endedOn)}` : ' and has not ended'}`,
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------- send/provision

export interface ProvisionImportRow {
  providerId: string;
  periodCode: string;
  needType: PrimaryNeed;
  providerName: string;
  type: (typeof PROVISION_TYPES)[number];
  districtCode: string;
  places: number;
}

export const provisionFormat: ImportFormat<ProvisionImportRow> = {
  name: 'send/provision',
  description:
    'Specialist places commissioned for an academic year, one row per provision per type of need: special schools, ' +
    'specialist resourced provisions (SRPs) and satellites. Re-importing updates by provider, year and need.',
  columns: [
    {
      name: 'provider_id',
      type: 'text',
      required: true,
      description: 'URN of the school (an SRP or satellite: the host’s URN with a suffix).',
    },
    { name: 'provider_name', type: 'text', required: true, description: 'Name of the school or provision.' },
    {
      name: 'provision_type',
      type: `one of ${PROVISION_TYPES.join('|')}`,
      required: true,
      description: 'Kind of provision.',
    },
    {
      name: 'district_code',
      type: 'district code',
      required: true,
      description: 'ONS code of the district the provision is in.',
    },
    { name: 'need_type', type: NEED_TYPE, required: true, description: 'Type of need the places are for (DfE code).' },
    { name: 'time_period', type: 'EES time_period', required: true, description: 'The academic year, e.g. 201718.' },
    { name: 'time_identifier', type: 'Academic year', required: true, description: 'Always "Academic year".' },
    { name: 'places', type: 'whole number, 0 or more', required: true, description: 'Places commissioned.' },
  ],
  example: {
    provider_id: '118600',
    provider_name: 'Oakfield School',
    provision_type: 'SPECIAL_SCHOOL',
    district_code: 'E07000105',
    need_type: 'ASD',
    time_period: '201718',
    time_identifier: 'Academic year',
    places: '120',
  },
  row: z
    .object({
      provider_id: text('a provider id'),
      provider_name: text('the provision’s name'),
      provision_type: oneOf(PROVISION_TYPES),
      district_code: text('a district code'),
      need_type: oneOf(PRIMARY_NEEDS),
      time_period: z.string(),
      time_identifier: z.string(),
      places: integer({ min: 0 }),
    })
    .transform((r, ctx) => {
      const periodCode = eesPeriod(r.time_period, r.time_identifier, ctx);
      if ((periodCode as unknown) !== z.NEVER && parsePeriod(periodCode).identifier !== 'AY') {
        ctx.addIssue({
          code: 'custom',
          path: ['time_identifier'],
          message: 'expected time_identifier "Academic year": places are commissioned by academic year',
        });
      }
      return {
        providerId: r.provider_id,
        periodCode,
        needType: r.need_type,
        providerName: r.provider_name,
        type: r.provision_type,
        districtCode: r.district_code,
        places: r.places,
      };
    }),
  references: [{ column: 'district_code', table: 'Area', tableColumn: 'code' }],
  key: (r) => `${r.providerId}|${r.periodCode}|${r.needType}`,
  keyColumns: ['provider_id', 'time_period', 'need_type'],
  check: districtLevelErrors,
  write: (tx, rows) => upsertPeriodRows(tx, SPECIALIST_PROVISION_TABLE, rows),
  tables: ['SpecialistProvision', 'Period'],
};

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const sendFormats: ImportFormat<any>[] = [assessmentsFormat, plansFormat, provisionFormat];
