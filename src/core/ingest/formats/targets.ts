// `core/targets`: targets set for an indicator in one area and period (minimum, stretch or target).
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.js';
import { decimal, eesPeriod, oneOf, PERIOD_TYPE_TEXT, text } from '../fields.js';
import type { ImportFormat } from '../types.js';
import { upsertPeriodRows } from '../upsert.js';

type TargetRow = Prisma.TargetCreateManyInput;

export const targetsFormat: ImportFormat<TargetRow> = {
  name: 'core/targets',
  description:
    'Targets per indicator, area and period: MINIMUM, STRETCH or TARGET, each at most once. ' +
    'Periods the store does not have yet are created.',
  columns: [
    { name: 'indicator_code', type: 'indicator code', required: true, description: 'An indicator in the catalogue.' },
    { name: 'area_code', type: 'area code', required: true, description: 'An Area in the store.' },
    { name: 'time_period', type: 'EES time_period', required: true, description: PERIOD_TYPE_TEXT },
    { name: 'time_identifier', type: 'EES time_identifier', required: true, description: 'e.g. Academic year.' },
    { name: 'kind', type: 'one of MINIMUM|STRETCH|TARGET', required: true, description: 'Which target this is.' },
    { name: 'value', type: 'number', required: true, description: 'In the indicator’s unit; may be fractional.' },
  ],
  example: {
    indicator_code: 'EY_GLD',
    area_code: 'E10000016',
    time_period: '201617',
    time_identifier: 'Academic year',
    kind: 'TARGET',
    value: '72.5',
  },
  row: z
    .object({
      indicator_code: text('an indicator code'),
      area_code: text('an area code'),
      time_period: z.string(),
      time_identifier: z.string(),
      kind: oneOf(['MINIMUM', 'STRETCH', 'TARGET'] as const),
      value: decimal(),
    })
    .transform((r, ctx) => ({
      indicatorCode: r.indicator_code,
      areaCode: r.area_code,
      periodCode: eesPeriod(r.time_period, r.time_identifier, ctx),
      kind: r.kind,
      value: r.value,
    })),
  references: [
    { column: 'indicator_code', table: 'Indicator', tableColumn: 'code' },
    { column: 'area_code', table: 'Area', tableColumn: 'code' },
  ],
  key: (r) => `${r.indicatorCode}|${r.areaCode}|${r.periodCode}|${r.kind}`,
  keyColumns: ['indicator_code', 'area_code', 'time_period', 'time_identifier', 'kind'],
  write: (tx, rows) => upsertPeriodRows(tx, TARGET_TABLE, rows),
  tables: ['Target', 'Period'],
};

const TARGET_TABLE = {
  table: 'Target',
  key: [
    { name: 'indicatorCode', type: 'text', get: (r: TargetRow) => r.indicatorCode },
    { name: 'areaCode', type: 'text', get: (r: TargetRow) => r.areaCode },
    { name: 'periodCode', type: 'text', get: (r: TargetRow) => r.periodCode },
    { name: 'kind', type: '"TargetKind"', get: (r: TargetRow) => r.kind },
  ],
  values: [{ name: 'value', type: 'float8', get: (r: TargetRow) => r.value }],
};
