// `core/characteristics`: a person's equality characteristics in one period (FSM, SEN, in care, EAL), the
// breakdowns every service's indicators reuse.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.js';
import { BOOLEAN_TYPE, boolean, eesPeriod, oneOf, PERIOD_TYPE_TEXT, text } from '../fields.js';
import type { ImportFormat } from '../types.js';
import { upsertPeriodRows } from '../upsert.js';

type CharacteristicRow = Prisma.PersonCharacteristicCreateManyInput;

export const characteristicsFormat: ImportFormat<CharacteristicRow> = {
  name: 'core/characteristics',
  description:
    'Per person per period: free school meals, SEN status, in care, English as an additional language. ' +
    'Periods the store does not have yet are created.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'A person already in the store (core/people).' },
    { name: 'time_period', type: 'EES time_period', required: true, description: PERIOD_TYPE_TEXT },
    { name: 'time_identifier', type: 'EES time_identifier', required: true, description: 'e.g. Academic year.' },
    { name: 'fsm', type: BOOLEAN_TYPE, required: true, description: 'Eligible for free school meals.' },
    {
      name: 'sen_status',
      type: 'one of NONE|SEN_SUPPORT|EHCP',
      required: true,
      description: 'Special educational needs.',
    },
    { name: 'in_care', type: BOOLEAN_TYPE, required: true, description: 'Looked after by the local authority.' },
    { name: 'eal', type: BOOLEAN_TYPE, required: true, description: 'English as an additional language.' },
  ],
  example: {
    person_id: 'P0000001',
    time_period: '201617',
    time_identifier: 'Academic year',
    fsm: 'Y',
    sen_status: 'SEN_SUPPORT',
    in_care: 'N',
    eal: 'false',
  },
  row: z
    .object({
      person_id: text('a person id'),
      time_period: z.string(),
      time_identifier: z.string(),
      fsm: boolean(),
      sen_status: oneOf(['NONE', 'SEN_SUPPORT', 'EHCP'] as const),
      in_care: boolean(),
      eal: boolean(),
    })
    .transform((r, ctx) => ({
      personId: r.person_id,
      periodCode: eesPeriod(r.time_period, r.time_identifier, ctx),
      fsm: r.fsm,
      senStatus: r.sen_status,
      inCare: r.in_care,
      eal: r.eal,
    })),
  references: [{ column: 'person_id', table: 'Person', tableColumn: 'id' }],
  key: (r) => `${r.personId}|${r.periodCode}`,
  keyColumns: ['person_id', 'time_period', 'time_identifier'],
  write: (tx, rows) => upsertPeriodRows(tx, CHARACTERISTICS_TABLE, rows),
  tables: ['PersonCharacteristic', 'Period'],
};

const CHARACTERISTICS_TABLE = {
  table: 'PersonCharacteristic',
  key: [
    { name: 'personId', type: 'text', get: (r: CharacteristicRow) => r.personId },
    { name: 'periodCode', type: 'text', get: (r: CharacteristicRow) => r.periodCode },
  ],
  values: [
    { name: 'fsm', type: 'bool', get: (r: CharacteristicRow) => r.fsm },
    { name: 'senStatus', type: '"SenStatus"', get: (r: CharacteristicRow) => r.senStatus },
    { name: 'inCare', type: 'bool', get: (r: CharacteristicRow) => r.inCare },
    { name: 'eal', type: 'bool', get: (r: CharacteristicRow) => r.eal },
  ],
};
