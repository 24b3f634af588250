// Early Years CSV formats: EYFS profile results, the settings register with latest inspections, two-year-old
// funding by term, and children's centre registrations. The framework (src/core/ingest) parses, reports
// errors by line and column, checks references and runs one transaction; these say what a valid row is.
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
import type { ImportFormat, WriteCounts } from '../../src/core/ingest/types.js';
import { type TableSpec, tableWriter, upsertPeriodRows, upsertRows } from '../../src/core/ingest/upsert.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import type { Tx } from '../../src/db.js';
import {
  CENTRE_REGISTRATION_TABLE,
  EYFS_RESULT_TABLE,
  INSPECTION_TABLE,
  SETTING_TABLE,
  TWO_YEAR_OLD_FUNDING_TABLE,
} from './tables.js';

/** A column that may be left out of the header altogether, or left blank: null either way. */
const optional = <T>(inner: z.ZodType<T, string>) => z.preprocess((v) => v ?? '', blankAsNull(inner));

/** The period code of an EES pair, required to have one of the given identifiers (reported on time_identifier). */
function periodOf(
  r: { time_period: string; time_identifier: string },
  ctx: z.RefinementCtx,
  identifiers: string[],
  expected: string,
): string {
  const code = eesPeriod(r.time_period, r.time_identifier, ctx);
  if ((code as unknown) === z.NEVER) return code;
  if (!identifiers.includes(parsePeriod(code).identifier)) {
    ctx.addIssue({ code: 'custom', path: ['time_identifier'], message: `expected ${expected}` });
  }
  return code;
}

// ---------------------------------------------------------------- early-years/eyfs-results

export interface EyfsImportRow {
  personId: string;
  periodCode: string;
  gld: boolean;
  totalPoints: number | null;
}

// 12 goals at least expected (2 points) and 5 at least emerging (1): the fewest points a GLD allows.
const GLD_MIN_POINTS = 29;

export const eyfsResultsFormat: ImportFormat<EyfsImportRow> = {
  name: 'early-years/eyfs-results',
  description:
    'Early Years Foundation Stage Profile results, one row per child per academic year (the end of Reception). ' +
    'Re-importing a child and year updates the result.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'time_period', type: 'EES time_period', required: true, description: 'The academic year, e.g. 201516.' },
    { name: 'time_identifier', type: 'Academic year', required: true, description: 'Always "Academic year".' },
    { name: 'gld', type: BOOLEAN_TYPE, required: true, description: 'Achieved a good level of development.' },
    {
      name: 'total_points',
      type: 'whole number 17–51, or blank',
      required: false,
      description: 'Total points over the 17 early learning goals; the column may be left out.',
    },
  ],
  example: {
    person_id: 'P0000123',
    time_period: '201516',
    time_identifier: 'Academic year',
    gld: 'Y',
    total_points: '36',
  },
  row: z
    .object({
      person_id: text('a person id'),
      time_period: z.string(),
      time_identifier: z.string(),
      gld: boolean(),
      total_points: optional(integer({ min: 17, max: 51 })),
    })
    .transform((r, ctx) => {
      const periodCode = periodOf(r, ctx, ['AY'], 'time_identifier "Academic year": EYFS results are by academic year');
      const points = r.total_points;
      if (points !== null && r.gld && points < GLD_MIN_POINTS) {
        ctx.addIssue({
          code: 'custom',
          path: ['total_points'],
          message: `a good level of development needs at least ${GLD_MIN_POINTS} points (expected in the 12 key goals): found ${points} with gld true`,
        });
      }
      if (points === 51 && !r.gld) {
        ctx.addIssue({
          code: 'custom',
          path: ['total_points'],
          message: '51 points means exceeding in every goal, which is a good level of development: found gld false',
        });
      }
      return { personId: r.person_id, periodCode, gld: r.gld, totalPoints: points };
    }),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${r.periodCode}`,
  keyColumns: ['person_id', 'time_period', 'time_identifier'],
  write: (tx, rows) => upsertPeriodRows(tx, EYFS_RESULT_TABLE, rows),
  tables: ['EyfsResult', 'Period'],
};

// ---------------------------------------------------------------- early-years/settings

export const SETTING_TYPES = ['CHILDMINDER', 'NON_DOMESTIC', 'DOMESTIC', 'NURSERY_SCHOOL'] as const;
export const OFSTED_GRADES = ['OUTSTANDING', 'GOOD', 'REQUIRES_IMPROVEMENT', 'INADEQUATE'] as const;
type Grade = (typeof OFSTED_GRADES)[number];

export interface SettingImportRow {
  urn: string;
  name: string;
  type: (typeof SETTING_TYPES)[number];
  districtCode: string;
  registeredOn: Date | null;
  closedOn: Date | null;
  grade: Grade | null;
  inspectedOn: Date | null;
}

const urn = () =>
  z.string().transform((s, ctx) => {
    const v = s.trim().toUpperCase();
    if (!/^(EY|SC|CA)?\d{6,7}$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'expected an Ofsted URN such as EY412345 or 127456' });
      return z.NEVER;
    }
    return v;
  });

export const settingsFormat: ImportFormat<SettingImportRow> = {
  name: 'early-years/settings',
  description:
    'The early years settings register with each setting’s latest Ofsted inspection, one row per setting (URN). ' +
    'Each import also records the inspection it names, so a yearly snapshot builds the inspection history ' +
    'and past years keep the grade that was current then. Re-importing updates the setting.',
  columns: [
    { name: 'urn', type: 'Ofsted URN', required: true, description: 'Ofsted unique reference number, e.g. EY412345.' },
    {
      name: 'name',
      type: 'text',
      required: true,
      description: 'Registered name (for childminders, a neutral label: never a person’s name).',
    },
    {
      name: 'setting_type',
      type: `one of ${SETTING_TYPES.join('|')}`,
      required: true,
      description: 'Ofsted registration type.',
    },
    {
      name: 'district_code',
      type: 'district code',
      required: true,
      description: 'ONS code of the district the setting is in.',
    },
    {
      name: 'registered_on',
      type: `${DATE_TYPE}, or blank`,
      required: false,
      description: 'Date registered with Ofsted.',
    },
    {
      name: 'closed_on',
      type: `${DATE_TYPE}, or blank`,
      required: false,
      description: 'Date closed or removed from the register; blank while open.',
    },
    {
      name: 'ofsted_grade',
      type: `one of ${OFSTED_GRADES.join('|')} (or 1–4), or blank`,
      required: false,
      description:
        'Overall effectiveness at the latest inspection; blank when not yet inspected (then inspected_on is blank too).',
    },
    {
      name: 'inspected_on',
      type: `${DATE_TYPE}, or blank`,
      required: false,
      description: 'Date of the latest inspection.',
    },
  ],
  example: {
    urn: 'EY412345',
    name: 'Acorn Day Nursery',
    setting_type: 'NON_DOMESTIC',
    district_code: 'E07000110',
    registered_on: '2010-04-12',
    closed_on: '',
    ofsted_grade: 'GOOD',
    inspected_on: '2016-02-03',
  },
  row: z
    .object({
      urn: urn(),
      name: text('the setting’s name'),
      setting_type: oneOf(SETTING_TYPES),
      district_code: text('a district code'),
      registered_on: optional(isoDate()),
      closed_on: optional(isoDate()),
      ofsted_grade: optional(
        oneOf<Grade>(OFSTED_GRADES, {
          '1': 'OUTSTANDING',
          '2': 'GOOD',
          '3': 'REQUIRES_IMPROVEMENT',
          '4': 'INADEQUATE',
        }),
      ),
      inspected_on: optional(isoDate()),
    })
    .transform((r, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (r.ofsted_grade && !r.inspected_on)
        issue('inspected_on', 'expected the date of the inspection that gave ofsted_grade');
      if (!r.ofsted_grade && r.inspected_on)
        issue('ofsted_grade', 'expected the grade of the inspection on inspected_on');
      if (r.registered_on && r.closed_on && r.closed_on < r.registered_on) {
        issue('closed_on', `expected a date on or after registered_on (${iso(r.registered_on)})`);
      }
      if (r.registered_on && r.inspected_on && r.inspected_on < r.registered_on) {
        issue('inspected_on', `expected a date on or after registered_on (${iso(r.registered_on)})`);
      }
      return {
        urn: r.urn,
        name: r.name,
        type: r.setting_type,
        districtCode: r.district_code,
        registeredOn: r.registered_on,
        closedOn: r.closed_on,
        grade: r.ofsted_grade,
        inspectedOn: r.inspected_on,
      };
    }),
  references: [{ column: 'district_code', table: 'Area', tableColumn: 'code' }],
  key: (r) => r.urn,
  keyColumns: ['urn'],
  check: districtLevelErrors,
  async write(tx, rows) {
    const inspected = rows.filter((r) => r.grade && r.inspectedOn);
    const settingStates = await rowStates(tx, SETTING_TABLE, rows);
    const inspectionStates = await rowStates(tx, INSPECTION_TABLE, inspected);
    await upsertRows(tx, SETTING_TABLE, rows);
    await upsertRows(tx, INSPECTION_TABLE, inspected);
    // A row changed when its setting did or the inspection it names is new or regraded.
    const inspectionChanged = new Set(inspected.filter((_, i) => inspectionStates[i] !== 'same').map((r) => r.urn));
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    rows.forEach((r, i) => {
      if (settingStates[i] === 'new') counts.inserted++;
      else if (settingStates[i] === 'changed' || inspectionChanged.has(r.urn)) counts.updated++;
      else counts.unchanged++;
    });
    const newInspections = inspectionStates.filter((s) => s === 'new').length;
    return newInspections ? { ...counts, created: { EarlyYearsInspection: newInspections } } : counts;
  },
  tables: ['EarlyYearsSetting', 'EarlyYearsInspection'],
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Whether each row is new, identical to the stored row, or changed, in one statement (the database
 * compares, with its own types). Used where one import row writes two tables and must count once.
 */
async function rowStates<Row>(tx: Tx, spec: TableSpec<Row>, rows: Row[]): Promise<('new' | 'same' | 'changed')[]> {
  if (!rows.length) return [];
  const all = [...spec.key, ...spec.values];
  const params = [
    arrayLiteral(rows.map((_, i) => i)),
    ...all.map((c) => arrayLiteral(rows.map((r) => cell(c.get(r), c.type)))),
  ];
  const unnest = ['$1::text::int[]', ...all.map((c, i) => `$${i + 2}::text::${c.type}[]`)].join(', ');
  const names = ['ord', ...all.map((c) => q(c.name))].join(', ');
  const same = spec.values.map((c) => `t.${q(c.name)} IS NOT DISTINCT FROM i.${q(c.name)}`).join(' AND ') || 'true';
  const join = spec.key.map((c) => `t.${q(c.name)} = i.${q(c.name)}`).join(' AND ');
  const result = await tx.$queryRawUnsafe<{ ord: number; state: 'new' | 'same' | 'changed' }[]>(
    `SELECT i.ord, CASE WHEN t.${q(spec.key[0].name)} IS NULL THEN 'new' WHEN ${same} THEN 'same' ELSE 'changed' END AS state
     FROM unnest(${unnest}) AS i(${names}) LEFT JOIN ${q(spec.table)} t ON ${join}`,
    ...params,
  );
  const states = new Array<'new' | 'same' | 'changed'>(rows.length);
  for (const r of result) states[Number(r.ord)] = r.state;
  return states;
}

function cell(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return type === 'date' ? iso(v) : v.toISOString();
  return v;
}

// ---------------------------------------------------------------- early-years/two-year-funding

export interface FundingImportRow {
  personId: string;
  periodCode: string;
  eligible: boolean;
  tookUp: boolean;
}

export const twoYearFundingFormat: ImportFormat<FundingImportRow> = {
  name: 'early-years/two-year-funding',
  description:
    'Funded early education for two-year-olds, one row per child per school term: whether the child was eligible ' +
    'and whether they took up a funded place. Terms the store does not have yet are created.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    {
      name: 'time_period',
      type: 'EES time_period',
      required: true,
      description: 'The academic year of the term, e.g. 201617.',
    },
    {
      name: 'time_identifier',
      type: 'Autumn term|Spring term|Summer term',
      required: true,
      description: 'The school term.',
    },
    { name: 'eligible', type: BOOLEAN_TYPE, required: true, description: 'Eligible for a funded place this term.' },
    {
      name: 'took_up',
      type: BOOLEAN_TYPE,
      required: true,
      description: 'Took up a funded place this term (eligible children only).',
    },
  ],
  example: {
    person_id: 'P0000456',
    time_period: '201617',
    time_identifier: 'Spring term',
    eligible: 'Y',
    took_up: 'Y',
  },
  row: z
    .object({
      person_id: text('a person id'),
      time_period: z.string(),
      time_identifier: z.string(),
      eligible: boolean(),
      took_up: boolean(),
    })
    .transform((r, ctx) => {
      const periodCode = periodOf(
        r,
        ctx,
        ['T1', 'T2', 'T3'],
        'a school term: "Autumn term", "Spring term" or "Summer term"',
      );
      if (r.took_up && !r.eligible) {
        ctx.addIssue({
          code: 'custom',
          path: ['took_up'],
          message: 'only an eligible child can take up a funded place: found eligible false',
        });
      }
      return { personId: r.person_id, periodCode, eligible: r.eligible, tookUp: r.took_up };
    }),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${r.periodCode}`,
  keyColumns: ['person_id', 'time_period', 'time_identifier'],
  write: (tx, rows) => upsertPeriodRows(tx, TWO_YEAR_OLD_FUNDING_TABLE, rows),
  tables: ['TwoYearOldFunding', 'Period'],
};

// ---------------------------------------------------------------- early-years/centre-registrations

export interface RegistrationImportRow {
  personId: string;
  centreId: string;
  registeredOn: Date;
}

export const centreRegistrationsFormat: ImportFormat<RegistrationImportRow> = {
  name: 'early-years/centre-registrations',
  description:
    'Registrations of children with children’s centres, one row per child per centre. Re-importing updates the date.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    {
      name: 'centre_id',
      type: 'text',
      required: true,
      description: 'The council’s identifier of the children’s centre.',
    },
    {
      name: 'registered_on',
      type: DATE_TYPE,
      required: true,
      description: 'Date of registration (not before the birth month).',
    },
  ],
  example: { person_id: 'P0000789', centre_id: 'CC1101', registered_on: '2015-06-18' },
  row: z
    .object({ person_id: text('a person id'), centre_id: text('a centre id'), registered_on: isoDate() })
    .transform((r) => ({ personId: r.person_id, centreId: r.centre_id, registeredOn: r.registered_on })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${r.centreId}`,
  keyColumns: ['person_id', 'centre_id'],
  async check(db, rows) {
    // A registration before the child's birth month is a keying error in the source.
    const ids = [...new Set(rows.map((r) => r.row.personId))];
    const births = new Map<string, Date>();
    for (let i = 0; i < ids.length; i += 10_000) {
      const found = await db.$queryRawUnsafe<{ id: string; birthMonth: Date | string }[]>(
        'SELECT id, "birthMonth" FROM "Person" WHERE id = ANY($1::text::text[])',
        arrayLiteral(ids.slice(i, i + 10_000)),
      );
      for (const p of found) births.set(p.id, new Date(p.birthMonth));
    }
    return rows
      .filter((r) => {
        const born = births.get(r.row.personId);
        return born && r.row.registeredOn < born;
      })
      .map((r) => ({
        line: r.line,
        column: 'registered_on',
        value: iso(r.row.registeredOn),
        message: `expected a date on or after the child’s birth month (${iso(births.get(r.row.personId) as Date).slice(0, 7)})`,
      }));
  },
  write: tableWriter(CENTRE_REGISTRATION_TABLE),
  tables: ['ChildrensCentreRegistration'],
};

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const earlyYearsFormats: ImportFormat<any>[] = [
  eyfsResultsFormat,
  settingsFormat,
  twoYearFundingFormat,
  centreRegistrationsFormat,
];
