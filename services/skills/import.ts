// Skills and Employability CSV formats: monthly participation records (the council's NCCIS tracking) and
// apprenticeship starts. The framework (src/core/ingest) parses, reports errors by line and column, checks
// references and runs one transaction; these say what a valid row is, and check each row against the
// person's birth month (a wrong person_id or date usually shows up as an impossible age).
import { z } from 'zod';
import { arrayLiteral } from '../../src/core/bulk.js';
import { iso } from '../../src/core/dates.js';
import { DATE_TYPE, isoDate, MONTH_TYPE, month, oneOf, text } from '../../src/core/ingest/fields.js';
import type { ImportFormat, ParsedRow, RowError } from '../../src/core/ingest/types.js';
import { tableWriter } from '../../src/core/ingest/upsert.js';
import type { Tx } from '../../src/db.js';
import { academicAge, academicYearOf, ageAt, monthText } from './ages.js';
import {
  APPRENTICESHIP_LEVELS,
  type ApprenticeshipLevel,
  PARTICIPATION_STATUSES,
  type ParticipationStatus,
} from './enums.js';
import { APPRENTICESHIP_START_TABLE, PARTICIPATION_RECORD_TABLE } from './tables.js';

/** Academic ages a participation record may be for: NCCIS tracks from 16, to 24 for young people with an EHC plan. */
export const TRACKED_ACADEMIC_AGES = { from: 16, to: 24 } as const;
/** The youngest age at which an apprenticeship can start (after Year 11, which ends before some are 16). */
export const YOUNGEST_APPRENTICE = 15;

/** An optional NCCIS activity code: three digits, or blank (the column may also be left out). */
const activityCode = () =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? '').trim();
      if (v === '') return null;
      if (!/^\d{3}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'expected a three-digit NCCIS activity code such as 210, or a blank' });
        return z.NEVER;
      }
      return v;
    });

/** Birth months of the people in a file, in batches of 10,000 (one query each). */
async function birthMonths(db: Tx, people: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (let i = 0; i < people.length; i += 10_000) {
    const rows = await db.$queryRawUnsafe<{ id: string; birthMonth: Date | string }[]>(
      'SELECT id, "birthMonth" FROM "Person" WHERE id = ANY($1::text::text[])',
      arrayLiteral(people.slice(i, i + 10_000)),
    );
    for (const r of rows) out.set(r.id, new Date(r.birthMonth));
  }
  return out;
}

// ---------------------------------------------------------------- skills/participation

export interface ParticipationImportRow {
  personId: string;
  month: Date;
  status: ParticipationStatus;
  activity: string | null;
}

export const participationFormat: ImportFormat<ParticipationImportRow> = {
  name: 'skills/participation',
  description:
    'Monthly participation records (NCCIS tracking), one row per young person per month: education, employment or ' +
    'training (EET), NEET, or activity not known, with the NCCIS activity code when recorded. The NEET measures ' +
    'count academic ages 16 and 17 in the December, January and February snapshots; records for academic ages ' +
    `${TRACKED_ACADEMIC_AGES.from} to ${TRACKED_ACADEMIC_AGES.to} are accepted. Re-importing updates by person and month.`,
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'month', type: MONTH_TYPE, required: true, description: 'The month the record describes.' },
    {
      name: 'status',
      type: `one of ${PARTICIPATION_STATUSES.join('|')}`,
      required: true,
      description: 'EET: in education, employment or training; NEET: not; NOT_KNOWN: activity not known.',
    },
    {
      name: 'activity',
      type: 'three-digit NCCIS activity code, or blank',
      required: false,
      description: 'The NCCIS activity code (e.g. 110 school sixth form, 210 apprenticeship, 540 NEET seeking work).',
    },
  ],
  example: { person_id: 'P0001234', month: '2017-01', status: 'NEET', activity: '540' },
  row: z
    .object({
      person_id: text('a person id'),
      month: month(),
      status: oneOf(PARTICIPATION_STATUSES),
      activity: activityCode(),
    })
    .transform((r) => ({ personId: r.person_id, month: r.month, status: r.status, activity: r.activity })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${monthText(r.month)}`,
  keyColumns: ['person_id', 'month'],
  check: participationAges,
  write: tableWriter(PARTICIPATION_RECORD_TABLE),
  tables: ['ParticipationRecord'],
};

/** A record's month must fall in an academic year in which the person is of a tracked academic age. */
async function participationAges(db: Tx, rows: ParsedRow<ParticipationImportRow>[]): Promise<RowError[]> {
  const born = await birthMonths(db, [...new Set(rows.map((r) => r.row.personId))]);
  const errors: RowError[] = [];
  for (const { line, row } of rows) {
    const birth = born.get(row.personId);
    if (!birth) continue; // unknown people are reported by the reference check
    const age = academicAge(birth, academicYearOf(row.month));
    if (age < TRACKED_ACADEMIC_AGES.from || age > TRACKED_ACADEMIC_AGES.to) {
      errors.push({
        line,
        column: 'month',
        value: monthText(row.month),
        message: `${row.personId} (born ${monthText(birth)}) is of academic age ${age} in ${monthText(row.month)}: participation is tracked for academic ages ${TRACKED_ACADEMIC_AGES.from} to ${TRACKED_ACADEMIC_AGES.to}`,
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------- skills/apprenticeship-starts

export interface ApprenticeshipImportRow {
  personId: string;
  startedOn: Date;
  level: ApprenticeshipLevel;
}

/** The levels' numbers, accepted besides the codes. */
const LEVEL_NUMBERS: Record<string, ApprenticeshipLevel> = {
  '2': 'LEVEL_2',
  '3': 'LEVEL_3',
  '4+': 'LEVEL_4_PLUS',
};

export const apprenticeshipStartsFormat: ImportFormat<ApprenticeshipImportRow> = {
  name: 'skills/apprenticeship-starts',
  description:
    'Apprenticeship starts, one row per start: the apprentice, the start date and the level. Age at start is ' +
    'derived from the person’s birth month (the birthday counted from the first of the month), so it is not a ' +
    'column. Re-importing updates the level by person and start date.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'started_on', type: DATE_TYPE, required: true, description: 'The day the apprenticeship started.' },
    {
      name: 'level',
      type: `one of ${APPRENTICESHIP_LEVELS.join('|')} (or 2|3|4+)`,
      required: true,
      description: 'Intermediate (2), advanced (3), or higher and degree (4 and above).',
    },
  ],
  example: { person_id: 'P0001234', started_on: '2016-09-05', level: 'LEVEL_3' },
  row: z
    .object({
      person_id: text('a person id'),
      started_on: isoDate(),
      level: oneOf(APPRENTICESHIP_LEVELS, LEVEL_NUMBERS),
    })
    .transform((r) => ({ personId: r.person_id, startedOn: r.started_on, level: r.level })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${iso(r.startedOn)}`,
  keyColumns: ['person_id', 'started_on'],
  check: apprenticeAges,
  write: tableWriter(APPRENTICESHIP_START_TABLE),
  tables: ['ApprenticeshipStart'],
};

async function apprenticeAges(db: Tx, rows: ParsedRow<ApprenticeshipImportRow>[]): Promise<RowError[]> {
  const born = await birthMonths(db, [...new Set(rows.map((r) => r.row.personId))]);
  const errors: RowError[] = [];
  for (const { line, row } of rows) {
    const birth = born.get(row.personId);
    if (!birth) continue;
    const age = ageAt(birth, row.startedOn);
    if (age < YOUNGEST_APPRENTICE) {
      errors.push({
        line,
        column: 'started_on',
        value: iso(row.startedOn),
        message: `${row.personId} (born ${monthText(birth)}) would be ${age} at the start: apprentices are at least ${YOUNGEST_APPRENTICE}`,
      });
    }
  }
  return errors;
}

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const skillsFormats: ImportFormat<any>[] = [participationFormat, apprenticeshipStartsFormat];
