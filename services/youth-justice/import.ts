// Youth Justice CSV format: proven offences and their disposals, one row per disposal. The framework
// (src/core/ingest) parses, reports errors by line and column, checks that people exist and runs one
// transaction; this says what a valid row is. Tier and disposal type must agree (TIERS_OF_TYPE), and a
// disposal cannot precede its offence.
import { z } from 'zod';
import { iso } from '../../src/core/dates.js';
import { DATE_TYPE, isoDate, oneOf, text } from '../../src/core/ingest/fields.js';
import type { ImportFormat } from '../../src/core/ingest/types.js';
import { tableWriter } from '../../src/core/ingest/upsert.js';
import { DISPOSAL_TYPES, TIERS, TIERS_OF_TYPE } from './disposal-types.js';
import { DISPOSAL_TABLE, type DisposalRecord } from './tables.js';

export const disposalsFormat: ImportFormat<DisposalRecord> = {
  name: 'youth-justice/disposals',
  description:
    'Proven offences of children and young people and their disposals, one row per disposal: the offence date, ' +
    'the disposal date, the tier and the disposal type. The tier must be the disposal type’s (community ' +
    'resolutions and cautions PRE_COURT; referral and reparation orders FIRST_TIER; youth rehabilitation orders ' +
    'COMMUNITY; detention and training orders and other custody CUSTODY; OTHER_COURT FIRST_TIER or COMMUNITY). ' +
    'Re-importing updates by disposal_id.',
  columns: [
    {
      name: 'disposal_id',
      type: 'text',
      required: true,
      description: 'The youth justice case system’s disposal identifier.',
    },
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'offence_on', type: DATE_TYPE, required: true, description: 'Date the offence was committed.' },
    {
      name: 'disposed_on',
      type: DATE_TYPE,
      required: true,
      description: 'Date of the disposal (caution or sentence); on or after offence_on.',
    },
    { name: 'tier', type: `one of ${TIERS.join('|')}`, required: true, description: 'Tier of the disposal.' },
    {
      name: 'disposal_type',
      type: `one of ${DISPOSAL_TYPES.join('|')}`,
      required: true,
      description: 'The disposal given; COMMUNITY_RESOLUTION is not a substantive outcome.',
    },
  ],
  example: {
    disposal_id: 'YJ2016-000123',
    person_id: 'P0001234',
    offence_on: '2016-05-02',
    disposed_on: '2016-06-20',
    tier: 'FIRST_TIER',
    disposal_type: 'REFERRAL_ORDER',
  },
  row: z
    .object({
      disposal_id: text('a disposal id'),
      person_id: text('a person id'),
      offence_on: isoDate(),
      disposed_on: isoDate(),
      tier: oneOf(TIERS),
      disposal_type: oneOf(DISPOSAL_TYPES),
    })
    .transform((r, ctx) => {
      const allowed = TIERS_OF_TYPE[r.disposal_type];
      if (!allowed.includes(r.tier)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tier'],
          message: `expected ${allowed.join(' or ')}: the tier of a ${r.disposal_type}`,
        });
      }
      if (r.disposed_on < r.offence_on) {
        ctx.addIssue({
          code: 'custom',
          path: ['disposed_on'],
          message: `expected a date on or after offence_on (${iso(r.offence_on)}): an offence is disposed of after it is committed`,
        });
      }
      return {
        id: r.disposal_id,
        personId: r.person_id,
        offenceOn: r.offence_on,
        disposedOn: r.disposed_on,
        tier: r.tier,
        disposalType: r.disposal_type,
      };
    }),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => r.id,
  keyColumns: ['disposal_id'],
  write: tableWriter(DISPOSAL_TABLE),
  tables: ['YouthJusticeDisposal'],
};

// biome-ignore lint/suspicious/noExplicitAny: each format is typed by its own row schema.
export const youthJusticeFormats: ImportFormat<any>[] = [disposalsFormat];
