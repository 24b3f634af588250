// Inputs that cannot hurt (issue #15, finding 8): a huge header line, a header of too many columns and a
// huge field are refused as line/column errors naming the limit, before anything reaches the database, and
// quickly; a write the database refuses is reported in words with its line, never with the database's text.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exampleCsv, findImportFormat, type ImportFormat, runImport } from '../../src/core/ingest/index.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const people = findImportFormat('core/people', [])!;
const [HEADER, EXAMPLE] = exampleCsv(people).split('\n');
/** A people file with one row whose person_id is `id`. */
const withId = (id: string) =>
  `${HEADER}\n${EXAMPLE.replace(people.example.person_id, id).replace(people.example.district_code, '')}\n`;

const run = (input: Readable, format: ImportFormat = people, limits = {}) =>
  runImport({ db, format, input, fileName: 'test.csv', ranBy: 'vitest', limits });

/** `size` bytes of `unit` repeated, streamed in 64 KiB chunks (never one big string). */
function* repeated(unit: string, size: number): Generator<Buffer> {
  const chunk = Buffer.from(unit.repeat(Math.ceil(65_536 / unit.length)));
  for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
}

describe('import limits', () => {
  it('refuses a 24 MB header line (12 million columns) at line 1, naming the line limit', async () => {
    const report = await run(
      Readable.from(
        (function* () {
          yield* repeated('c,', 24 * 1024 * 1024);
          yield Buffer.from('\n');
        })(),
      ),
    );
    expect(report.status).toBe('FAILED');
    expect(report.errorCount).toBe(1);
    expect(report.errors[0]).toMatchObject({ line: 1 });
    expect(report.errors[0].message).toContain(
      'longer than the limit of 1,048,576 characters (CYPE_IMPORT_MAX_LINE_CHARS)',
    );
  });

  it('counts a header’s columns before looking at them: 100,000 columns are one error naming the limit', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const report = await run(Readable.from([`${header}\n1\n`]));
    expect(report.errorCount).toBe(1);
    expect(report.errors[0]).toMatchObject({ line: 1 });
    expect(report.errors[0].message).toBe(
      'the header has 100,000 columns, over the limit of 2,000 (CYPE_IMPORT_MAX_COLUMNS)',
    );
  });

  it('refuses a 10 MB person_id before the database, as a line error naming the limit', async () => {
    const report = await run(Readable.from([withId('P'.repeat(10 * 1024 * 1024))]));
    expect(report.status).toBe('FAILED');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 2 });
    expect(report.errors[0].message).toContain('CYPE_IMPORT_MAX_LINE_CHARS');
    expect(await db.prisma.person.count()).toBe(0);
  });

  it('limits each field: a long person_id is an error on its line and column, its value cut short', async () => {
    const report = await run(Readable.from([withId('P'.repeat(5_000))]));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 2, column: 'person_id' });
    expect(report.errors[0].message).toBe(
      'value too long for person_id: 5,000 characters, at most 1,000 (CYPE_IMPORT_MAX_FIELD_CHARS)',
    );
    expect(report.errors[0].value.length).toBeLessThanOrEqual(201);
    // A column may declare its own limit.
    const short = {
      ...people,
      columns: people.columns.map((c) => (c.name === 'person_id' ? { ...c, maxLength: 8 } : c)),
    };
    const declared = await run(Readable.from([withId('P123456789')]), short);
    expect(declared.errors[0].message).toBe('value too long for person_id: 10 characters, at most 8');
  });

  it('refuses a NUL character in any field as an error on its line and column, not a database failure', async () => {
    const file = `${HEADER}\n${EXAMPLE.replace(people.example.district_code, 'E0700\u00000110')}\n`;
    const report = await run(Readable.from([file]));
    expect(report.status).toBe('FAILED');
    expect(report.errors).toEqual([
      {
        line: 2,
        column: 'district_code',
        value: 'E0700\\00110',
        message: 'district_code contains a NUL character (U+0000)',
      },
    ]);
  });

  it('reports a write the database refuses in words, with its line: never the database’s own text', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // Limits raised so the 10 MB person_id reaches the database, whose index cannot take it.
      const huge = 'P'.repeat(10 * 1024 * 1024);
      const report = await run(Readable.from([withId(huge)]), people, {
        maxLineChars: 20 * 1024 * 1024,
        maxFieldChars: 20 * 1024 * 1024,
      });
      expect(report.status).toBe('FAILED');
      expect(report.errors[0]).toMatchObject({ line: 2 });
      expect(report.message).toMatch(/^line 2: the database refused the write \(a value is too long/);
      expect(report.message).not.toMatch(/prisma|invalid|\$queryRaw|\$executeRaw|index row|SELECT|INSERT/i);
      expect(await db.prisma.person.count()).toBe(0);

      // Any other failure, in a batch of several rows: the lines of the batch, and the SQLSTATE at most.
      const failing: ImportFormat = {
        ...people,
        write: async (tx) => {
          await tx.$executeRawUnsafe('SELECT 1 / 0');
          return { inserted: 0, updated: 0, unchanged: 0 };
        },
      };
      const rows = `${withId('P1')}${withId('P2').split('\n')[1]}\n`;
      const other = await run(Readable.from([rows]), failing);
      expect(other.message).toBe(
        'lines 2 to 3 (written together): the database refused the write (database error 22012; the server log has the details); nothing was written',
      );
    } finally {
      quiet.mockRestore();
    }
  });
});
