// The shared cell parsers, as pure functions: booleans, dates, months, numbers, codes, EES periods and
// EES value cells. No database.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatError } from '../../src/cli/import.js';
import { eesCell } from '../../src/core/ingest/formats/ees.js';
import {
  blankAsNull,
  boolean,
  codes,
  decimal,
  eesPeriod,
  integer,
  isoDate,
  month,
  oneOf,
  text,
} from '../../src/core/ingest/index.js';

const ok = <T>(schema: z.ZodType<T, string>, v: string) => {
  const r = schema.safeParse(v);
  if (!r.success) throw new Error(`${v}: ${r.error.issues[0].message}`);
  return r.data;
};
const err = (schema: z.ZodType<unknown, string>, v: string) => {
  const r = schema.safeParse(v);
  return r.success ? null : r.error.issues[0].message;
};

describe('boolean', () => {
  it('takes true/false, Y/N and 1/0 in any case', () => {
    for (const v of ['true', 'TRUE', 'True', 'y', 'Y', '1', ' yes ']) expect(ok(boolean(), v)).toBe(true);
    for (const v of ['false', 'FALSE', 'n', 'N', '0', 'No']) expect(ok(boolean(), v)).toBe(false);
  });
  it('says what it expected otherwise', () => {
    for (const v of ['', 'maybe', '2', 't'])
      expect(err(boolean(), v)).toBe('expected a boolean: true/false, Y/N or 1/0');
  });
});

describe('dates and months', () => {
  it('reads ISO dates as UTC midnight and refuses impossible or other-format days', () => {
    expect(ok(isoDate(), '2017-01-31').toISOString()).toBe('2017-01-31T00:00:00.000Z');
    expect(ok(isoDate(), '2016-02-29').toISOString()).toBe('2016-02-29T00:00:00.000Z');
    for (const v of ['2017-02-29', '2017-02-30', '2017-1-3', '31/01/2017', '2017-01-31T10:00', '']) {
      expect(err(isoDate(), v)).toBe('expected a date YYYY-MM-DD');
    }
  });
  it('reads months as their first day', () => {
    expect(ok(month(), '2009-03').toISOString()).toBe('2009-03-01T00:00:00.000Z');
    for (const v of ['2009-13', '2009-00', '2009-3', '200903', '2009-03-01'])
      expect(err(month(), v)).toBe('expected a month YYYY-MM');
  });
});

describe('numbers, codes and text', () => {
  it('integer within bounds', () => {
    expect(ok(integer({ min: 1 }), '12')).toBe(12);
    expect(err(integer({ min: 1 }), '0')).toBe('expected a whole number of at least 1');
    expect(err(integer({ min: 1, max: 5 }), '1.5')).toBe('expected a whole number from 1 to 5');
  });
  it('decimal', () => {
    expect(ok(decimal(), '-0.25')).toBe(-0.25);
    expect(ok(decimal(), '1e3')).toBe(1000);
    for (const v of ['1,000', '7O', '', '12%', 'NaN', 'Infinity'])
      expect(err(decimal(), v)).toMatch(/^expected a number/);
  });
  it('codes accept only their spellings; oneOf accepts aliases and the codes', () => {
    const sex = codes({ F: 'FEMALE', M: 'MALE' } as const);
    expect(ok(sex, 'F')).toBe('FEMALE');
    expect(err(sex, 'FEMALE')).toBe('expected one of F|M');
    const level = oneOf(['NATIONAL', 'REGIONAL'] as const, { NAT: 'NATIONAL' });
    expect([ok(level, 'NAT'), ok(level, 'REGIONAL')]).toEqual(['NATIONAL', 'REGIONAL']);
    expect(err(level, 'toString')).toBe('expected one of NAT|NATIONAL|REGIONAL');
  });
  it('text refuses blanks; blankAsNull allows them', () => {
    expect(err(text('an id'), '  ')).toBe('expected an id, found a blank');
    expect(ok(blankAsNull(text()), '')).toBeNull();
    expect(ok(blankAsNull(decimal()), ' 4 ')).toBe(4);
    expect(err(blankAsNull(decimal()), 'x')).toMatch(/^expected a number/);
  });
});

describe('EES periods and cells', () => {
  const schema = z
    .object({ time_period: z.string(), time_identifier: z.string() })
    .transform((r, ctx) => eesPeriod(r.time_period, r.time_identifier, ctx));
  const issue = (tp: string, ti: string) => {
    const r = schema.safeParse({ time_period: tp, time_identifier: ti });
    return r.success ? r.data : [r.error.issues[0].path[0], r.error.issues[0].message];
  };

  it('turns time_period + time_identifier into period codes', () => {
    expect(issue('201617', 'Academic year')).toBe('2016/2017|AY');
    expect(issue('2025', 'Calendar year')).toBe('2025|CY');
    expect(issue('201718', 'financial year')).toBe('2017/2018|FY');
    expect(issue('2017', 'January')).toBe('2017|M1');
  });

  it('puts the error on the half that is wrong', () => {
    expect(issue('201617', 'Academic yr')[0]).toBe('time_identifier');
    expect(issue('2016', 'Academic year')[0]).toBe('time_period');
    expect(issue('201618', 'Academic year')[0]).toBe('time_period');
  });

  it('reads value cells: numbers, the EES symbols, legacy k as low', () => {
    expect(eesCell('12.5')).toEqual({ value: 12.5, symbol: null });
    expect(eesCell('-0.2')).toEqual({ value: -0.2, symbol: null });
    for (const s of ['c', 'x', 'z', 'low', 'u']) expect(eesCell(s)).toEqual({ value: null, symbol: s });
    expect(eesCell('k')).toEqual({ value: null, symbol: 'low' });
    for (const v of ['', 'C', 'abc', '1,000', ':']) expect(eesCell(v)).toBeNull();
  });
});

describe('CLI error lines', () => {
  it('name line, column and value', () => {
    expect(formatError({ line: 4, column: 'sex', value: 'X', message: 'expected one of F|M|U' })).toBe(
      'line 4, column sex, value "X": expected one of F|M|U',
    );
    expect(formatError({ line: 0, column: 'map', value: '', message: 'the map is not JSON' })).toBe(
      'option --map: the map is not JSON',
    );
    expect(formatError({ line: 0, column: '', value: '', message: 'refused' })).toBe('file: refused');
  });
});
