// GraphQL for ingestion: the provenance of every load (`imports`), the formats a server accepts
// (`importFormats`), and `importFile`, the upload a running server takes instead of the CLI (which cannot
// open an embedded database the server holds). Same framework, validation, transaction and report.
import type { Builder } from '../../builder.js';
import { ForbiddenError, UserInputError } from '../errors.js';
import { refreshSnapshots } from '../reporting/snapshots.js';
import { exampleCsv, findImportFormat, importFormats } from './registry.js';
import { type ImportReport, runImport } from './run.js';
import type { ColumnSpec, ImportFormat, ImportOptionSpec, RowError } from './types.js';

/** Errors returned in one GraphQL report at most (all are counted in errorCount). */
export const MAX_REPORTED_ERRORS = 1_000;

export function registerIngest(builder: Builder) {
  const ImportStatus = builder.enumType('ImportStatus', {
    description: 'Outcome of an import run.',
    values: {
      SUCCEEDED: { description: 'Every row was valid and the file was written in one transaction.' },
      FAILED: { description: 'The file had errors (or the write failed): nothing was written.' },
      DRY_RUN: { description: 'Validated and counted with --dry-run / dryRun: nothing was written.' },
      RUNNING: { description: 'Still running (only rows written by older tools; runs are recorded when they end).' },
    } as const,
  });

  builder.prismaObject('Import', {
    description: 'One run of `cype import` or `importFile` (or the demo seed): provenance of the rows loaded.',
    fields: (t) => ({
      id: t.exposeInt('id', { description: 'Sequential id.' }),
      format: t.exposeString('format', { description: 'Format name, `<owner>/<name>`, e.g. `core/people`.' }),
      fileName: t.exposeString('fileName', { description: 'Name of the file loaded.' }),
      sha256: t.exposeString('sha256', { description: 'SHA-256 of the file’s bytes (hex): the exact file loaded.' }),
      rows: t.exposeInt('rows', { description: 'Data rows in the file (header excluded).' }),
      inserted: t.exposeInt('inserted', { description: 'Records created.' }),
      updated: t.exposeInt('updated', { description: 'Records whose values changed.' }),
      unchanged: t.exposeInt('unchanged', { description: 'Records already stored with the same values.' }),
      errorCount: t.exposeInt('errors', { description: 'Errors found (a run with errors writes nothing).' }),
      status: t.field({
        type: ImportStatus,
        description: 'Outcome.',
        resolve: (i) => i.status as 'SUCCEEDED' | 'FAILED' | 'DRY_RUN' | 'RUNNING',
      }),
      dryRun: t.exposeBoolean('dryRun', { description: 'Whether this was a dry run.' }),
      ranBy: t.exposeString('ranBy', { description: 'Who ran it: the CLI user or the API caller.' }),
      startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When the run started.' }),
      finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it ended.' }),
      message: t.exposeString('message', { nullable: true, description: 'Summary, or the first error.' }),
    }),
  });

  const ImportRowError = builder.objectRef<RowError>('ImportRowError').implement({
    description: 'One problem in an imported file, where it is and what was expected.',
    fields: (t) => ({
      line: t.exposeInt('line', {
        description: 'Line in the file (1 = header; 0 = the file as a whole or an option).',
      }),
      column: t.exposeString('column', { description: 'Column (or option) at fault; empty when the whole line is.' }),
      value: t.exposeString('value', { description: 'The value found.' }),
      message: t.exposeString('message', { description: 'What is wrong and what was expected.' }),
    }),
  });

  const CreatedCount = builder.objectRef<{ table: string; count: number }>('ImportCreatedCount').implement({
    description: 'Rows of another table an import created on the way (periods, areas, indicators).',
    fields: (t) => ({
      table: t.exposeString('table', { description: 'Table, e.g. `Period`.' }),
      count: t.exposeInt('count', { description: 'Rows created.' }),
    }),
  });

  const Report = builder.objectRef<ImportReport>('ImportReport').implement({
    description: 'What an import did: counts, or every error with its line and column (then nothing was written).',
    fields: (t) => ({
      import: t.prismaField({
        type: 'Import',
        nullable: true,
        description: 'The provenance row recording this run.',
        resolve: (query, r, _args, ctx) =>
          r.importId === null ? null : ctx.db.prisma.import.findUnique({ ...query, where: { id: r.importId } }),
      }),
      format: t.exposeString('format', { description: 'Format name.' }),
      fileName: t.exposeString('fileName', { description: 'Name of the file loaded.' }),
      sha256: t.exposeString('sha256', { description: 'SHA-256 of the file (hex).' }),
      status: t.field({ type: ImportStatus, description: 'Outcome.', resolve: (r) => r.status }),
      dryRun: t.exposeBoolean('dryRun', { description: 'Whether nothing was meant to be written.' }),
      rows: t.exposeInt('rows', { description: 'Data rows in the file.' }),
      skipped: t.exposeInt('skipped', {
        description: 'Rows the format leaves out on purpose (e.g. unmapped EES filters).',
      }),
      inserted: t.exposeInt('inserted', { description: 'Records created (or that a dry run would create).' }),
      updated: t.exposeInt('updated', { description: 'Records changed (or that a dry run would change).' }),
      unchanged: t.exposeInt('unchanged', { description: 'Records already stored with the same values.' }),
      created: t.field({
        type: [CreatedCount],
        description: 'Rows of other tables created on the way.',
        resolve: (r) => Object.entries(r.created).map(([table, count]) => ({ table, count })),
      }),
      errorCount: t.exposeInt('errorCount', { description: 'Errors found in all.' }),
      errors: t.field({
        type: [ImportRowError],
        description: `Errors in line order (the first ${MAX_REPORTED_ERRORS}).`,
        resolve: (r) => r.errors.slice(0, MAX_REPORTED_ERRORS),
      }),
      message: t.exposeString('message', { description: 'One-line summary.' }),
    }),
  });

  const Column = builder.objectRef<ColumnSpec>('ImportColumn').implement({
    description: 'A column of an import format.',
    fields: (t) => ({
      name: t.exposeString('name', { description: 'CSV header, exactly.' }),
      type: t.exposeString('type', { description: 'Expected values, e.g. "month YYYY-MM".' }),
      required: t.exposeBoolean('required', { description: 'Whether the header must have it.' }),
      description: t.exposeString('description', { description: 'What it holds.' }),
    }),
  });

  const Option = builder.objectRef<ImportOptionSpec>('ImportOption').implement({
    description: 'An option a format takes besides the file (e.g. `map` for `core/ees`).',
    fields: (t) => ({
      name: t.exposeString('name', { description: 'Option name (CLI `--<name> <file>`, `importFile(options:)`).' }),
      description: t.exposeString('description', { description: 'What it holds.' }),
      required: t.exposeBoolean('required', { description: 'Whether the format needs it.' }),
    }),
  });

  const FormatInfo = builder.objectRef<ImportFormat>('ImportFormat').implement({
    description: 'A CSV format the server imports.',
    fields: (t) => ({
      name: t.exposeString('name', { description: '`<owner>/<name>`, e.g. `core/people`.' }),
      description: t.exposeString('description', { description: 'What the file holds and how it is loaded.' }),
      columns: t.field({ type: [Column], description: 'Columns, in the usual order.', resolve: (f) => f.columns }),
      options: t.field({ type: [Option], description: 'Options besides the file.', resolve: (f) => f.options ?? [] }),
      exampleCsv: t.string({ description: 'A header line and one example row.', resolve: (f) => exampleCsv(f) }),
    }),
  });

  const OptionInput = builder.inputType('ImportOptionInput', {
    description: 'A value for one of the format’s options.',
    fields: (t) => ({
      name: t.string({ required: true, description: 'Option name, e.g. `map`.' }),
      value: t.string({ required: true, description: 'Its value: the option file’s content, e.g. map.json’s JSON.' }),
    }),
  });

  builder.queryFields((t) => ({
    imports: t.prismaField({
      // Who ran what, and a failed run's first error (which can quote a person id): analysts only.
      authScopes: { analyst: true },
      type: ['Import'],
      description: 'Import runs, newest first. Analysts only.',
      args: {
        format: t.arg.string({ required: false, description: 'Only runs of this format, e.g. `core/people`.' }),
        limit: t.arg.int({ required: false, defaultValue: 50, description: 'At most this many (1–1000; default 50).' }),
      },
      resolve: (query, _root, args, ctx) => {
        const limit = args.limit ?? 50;
        if (limit < 1 || limit > 1000) throw new UserInputError('limit must be from 1 to 1000', 'limit');
        return ctx.db.prisma.import.findMany({
          ...query,
          where: args.format ? { format: args.format } : undefined,
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
          take: limit,
        });
      },
    }),
    importFormats: t.field({
      type: [FormatInfo],
      description: 'The CSV formats this server imports: core formats, then each enabled service’s.',
      resolve: (_root, _args, ctx) => importFormats(ctx.services),
    }),
  }));

  builder.mutationFields((t) => ({
    importFile: t.field({
      type: Report,
      description:
        'Imports a CSV file (multipart upload) with the same validation, single transaction and report as ' +
        '`cype import`. With errors nothing is written and the report lists them. After a successful ' +
        'import, the materialised figures (indicators, cohorts, list totals) reading the tables it wrote are computed again ' +
        'in the background (meanwhile those figures are computed on request).',
      args: {
        format: t.arg.string({ required: true, description: 'Format name, e.g. `core/people` (see importFormats).' }),
        file: t.arg({ type: 'File', required: true, description: 'The CSV file (UTF-8, header row first).' }),
        dryRun: t.arg.boolean({ required: false, defaultValue: false, description: 'Validate and count only.' }),
        options: t.arg({
          type: [OptionInput],
          required: false,
          description: 'Format options, e.g. `map` for core/ees.',
        }),
      },
      resolve: async (_root, args, ctx) => {
        // Loading data is for directorate analysts only (service analysts and partners read).
        if (ctx.viewer.role !== 'DIRECTORATE_ANALYST') {
          throw new ForbiddenError('Only directorate analysts may import files.');
        }
        const format = findImportFormat(args.format, ctx.services);
        if (!format) {
          throw new UserInputError(
            `Unknown import format "${args.format}": expected one of ${importFormats(ctx.services)
              .map((f) => f.name)
              .join(', ')}`,
            'format',
          );
        }
        const options: Record<string, string> = {};
        for (const o of args.options ?? []) {
          if (!format.options?.some((s) => s.name === o.name)) {
            throw new UserInputError(`${format.name} has no option "${o.name}"`, 'options');
          }
          options[o.name] = o.value;
        }
        const report = await runImport({
          db: ctx.db,
          format,
          input: args.file.stream(),
          fileName: args.file.name || 'upload.csv',
          dryRun: args.dryRun ?? false,
          ranBy: `graphql (${ctx.viewer.name})`,
          options,
          services: ctx.services,
        });
        // In the background: the upload is answered at once; until the refresh is stored, the figures it
        // changed are computed live (never stale: see src/core/reporting/snapshots.ts).
        if (report.status === 'SUCCEEDED') void refreshSnapshots(ctx.db, ctx.services, format.tables);
        return report;
      },
    }),
  }));
}
