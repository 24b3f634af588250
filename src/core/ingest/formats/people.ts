// `core/people`: the pseudonymised children and young people every service refers to.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.js';
import { blankAsNull, codes, month, oneOf, text } from '../fields.js';
import type { ImportFormat } from '../types.js';
import { tableWriter } from '../upsert.js';

const ETHNICITIES = ['WHITE', 'MIXED', 'ASIAN', 'BLACK', 'CHINESE', 'OTHER', 'UNCLASSIFIED'] as const;

type PersonRow = Omit<Prisma.PersonCreateManyInput, 'ethnicityMinor'>;

export const peopleFormat: ImportFormat<PersonRow> = {
  name: 'core/people',
  description:
    'Pseudonymised children and young people: one row per person (no names or addresses, ever). ' +
    'Re-importing updates birth month, sex, ethnicity and district.',
  columns: [
    { name: 'person_id', type: 'text', required: true, description: 'Opaque pseudonymous id from the case system.' },
    {
      name: 'birth_month',
      type: 'month YYYY-MM',
      required: true,
      description: 'Month of birth (the day is never stored).',
    },
    { name: 'sex', type: 'one of F|M|U', required: true, description: 'F female, M male, U unknown.' },
    {
      name: 'ethnicity_major',
      type: `one of ${ETHNICITIES.join('|')}`,
      required: true,
      description: 'DfE major ethnic group.',
    },
    {
      name: 'district_code',
      type: 'area code, or blank',
      required: true,
      description: 'ONS code of the home district (an Area in the store); blank when unknown.',
    },
  ],
  example: {
    person_id: 'P0000001',
    birth_month: '2009-03',
    sex: 'F',
    ethnicity_major: 'WHITE',
    district_code: 'E07000110',
  },
  row: z
    .object({
      person_id: text('a person id'),
      birth_month: month(),
      sex: codes({ F: 'FEMALE', M: 'MALE', U: 'UNKNOWN' } as const),
      ethnicity_major: oneOf(ETHNICITIES),
      district_code: blankAsNull(text()),
    })
    .transform((r) => ({
      id: r.person_id,
      birthMonth: r.birth_month,
      sex: r.sex,
      ethnicityMajor: r.ethnicity_major,
      districtCode: r.district_code,
    })),
  references: [{ column: 'district_code', table: 'Area', tableColumn: 'code' }],
  key: (r) => r.id,
  keyColumns: ['person_id'],
  write: tableWriter<PersonRow>({
    table: 'Person',
    key: [{ name: 'id', type: 'text', get: (r) => r.id }],
    values: [
      { name: 'birthMonth', type: 'date', get: (r) => r.birthMonth },
      { name: 'sex', type: '"Sex"', get: (r) => r.sex },
      { name: 'ethnicityMajor', type: '"EthnicityMajor"', get: (r) => r.ethnicityMajor },
      { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
    ],
  }),
  tables: ['Person'],
};
