// The indicator catalogue: enabled plugins' definitions (code is the source of truth) plus published-only
// indicators found in the Indicator table. The table is kept in sync with the definitions lazily: the
// first reporting read of a process upserts every enabled definition (one statement, once per database),
// so Observation and Target rows for plugin indicators always have their catalogue row, and SQL users and
// the CSV export see the same names and units. Seeds and imports call syncIndicatorCatalogue themselves
// before writing Observations, inside their own transaction.
import type { Context } from '../../context.js';
import type { Database } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { type BulkColumn, bulkInsert } from '../bulk.js';
import { PERIOD_TYPES, type PeriodType } from '../period-codes.js';
import type { ServicePlugin } from '../plugin.js';
import type { IndicatorInfo } from './indicator-types.js';
import { DIMENSIONS, POLARITIES, UNITS } from './types.js';

/** Service name of published-only indicators that belong to no plugin (listed whatever is enabled). */
export const CORE_SERVICE = 'core';

const CODE = /^[A-Z][A-Z0-9_]*$/;

/** Checks definitions (codes unique and SCREAMING_CASE, units, places, tolerance); throws naming the culprit. */
export function validateDefinitions(services: ServicePlugin[]): void {
  const seen = new Map<string, string>();
  for (const s of services) {
    for (const d of s.indicators) {
      const where = `indicator ${d.code} of service ${s.key}`;
      if (!CODE.test(d.code)) throw new Error(`${where}: code must be SCREAMING_CASE (A-Z, 0-9, _)`);
      const other = seen.get(d.code);
      if (other) throw new Error(`${where}: code already used by service ${other}`);
      seen.set(d.code, s.key);
      if (!UNITS.includes(d.unit)) throw new Error(`${where}: unit must be one of ${UNITS.join(', ')}`);
      if (!POLARITIES.includes(d.polarity))
        throw new Error(`${where}: polarity must be one of ${POLARITIES.join(', ')}`);
      if (!PERIOD_TYPES.includes(d.periodType)) throw new Error(`${where}: unknown periodType ${d.periodType}`);
      if (!Number.isInteger(d.decimalPlaces) || d.decimalPlaces < 0 || d.decimalPlaces > 6) {
        throw new Error(`${where}: decimalPlaces must be a whole number from 0 to 6`);
      }
      if (d.amberTolerance !== undefined && !(d.amberTolerance >= 0)) {
        throw new Error(`${where}: amberTolerance must be a fraction of the target, 0 or more (0.05 = 5%)`);
      }
      for (const dim of d.dimensions ?? []) {
        if (!DIMENSIONS.includes(dim)) throw new Error(`${where}: unknown dimension ${dim}`);
      }
    }
  }
}

const pluginCache = new WeakMap<ServicePlugin[], IndicatorInfo[]>();
/** Every enabled plugin's indicators, validated, in plugin order. */
export function pluginIndicators(services: ServicePlugin[]): IndicatorInfo[] {
  let list = pluginCache.get(services);
  if (!list) {
    validateDefinitions(services);
    list = services.flatMap((s) => s.indicators.map((d) => ({ ...d, service: s.key })));
    pluginCache.set(services, list);
  }
  return list;
}

const COLUMNS: BulkColumn<IndicatorInfo>[] = [
  { name: 'code', type: 'text', get: (d) => d.code },
  { name: 'name', type: 'text', get: (d) => d.name },
  { name: 'description', type: 'text', get: (d) => d.description },
  { name: 'service', type: 'text', get: (d) => d.service },
  { name: 'unit', type: '"IndicatorUnit"', get: (d) => d.unit },
  { name: 'polarity', type: '"Polarity"', get: (d) => d.polarity },
  { name: 'decimalPlaces', type: 'int', get: (d) => d.decimalPlaces },
  { name: 'periodType', type: 'text', get: (d) => d.periodType },
  { name: 'amberTolerance', type: 'float8', get: (d) => d.amberTolerance ?? null },
];
const UPDATED = COLUMNS.slice(1).map((c) => `"${c.name}"`);

/** Upserts the enabled plugins' definitions into the Indicator table (one statement); returns rows changed. */
export async function syncIndicatorCatalogue(
  db: Pick<Prisma.TransactionClient, '$executeRawUnsafe'>,
  services: ServicePlugin[],
): Promise<number> {
  const list = pluginIndicators(services);
  if (!list.length) return 0;
  return bulkInsert(db, 'Indicator', COLUMNS, list, {
    conflict:
      `ON CONFLICT ("code") DO UPDATE SET (${UPDATED.join(', ')}) = (${UPDATED.map((c) => `EXCLUDED.${c}`).join(', ')}) ` +
      `WHERE (${UPDATED.map((c) => `"Indicator".${c}`).join(', ')}) IS DISTINCT FROM (${UPDATED.map((c) => `EXCLUDED.${c}`).join(', ')})`,
  });
}

const synced = new WeakMap<Database, Map<string, Promise<void>>>();
/**
 * Syncs the catalogue once per database and set of enabled indicators in this process. A failure (a
 * read-only replica, say) is reported once and does not fail the read: definitions come from code anyway.
 */
export function ensureCatalogue(ctx: Pick<Context, 'db' | 'services'>): Promise<void> {
  const key = pluginIndicators(ctx.services)
    .map((d) => d.code)
    .join(',');
  let perDb = synced.get(ctx.db);
  if (!perDb) {
    perDb = new Map();
    synced.set(ctx.db, perDb);
  }
  let done = perDb.get(key);
  if (!done) {
    done = syncIndicatorCatalogue(ctx.db.prisma, ctx.services).then(
      () => undefined,
      (e: Error) => console.warn(`Could not sync the Indicator catalogue: ${e.message}`),
    );
    perDb.set(key, done);
  }
  return done;
}

/** The catalogue for this request: enabled plugins' indicators, then published-only rows of enabled services. */
export async function catalogue(ctx: Context): Promise<IndicatorInfo[]> {
  const defined = pluginIndicators(ctx.services);
  const known = new Set(defined.map((d) => d.code));
  const enabled = new Set([CORE_SERVICE, ...ctx.services.map((s) => s.key)]);
  const rows = await ctx
    .loader<string, Awaited<ReturnType<typeof ctx.db.prisma.indicator.findMany>>>(
      'reporting.catalogue',
      ctx.results.batch(
        'catalogue',
        () => ['Indicator'],
        async (keys) => {
          const all = await ctx.db.prisma.indicator.findMany({ orderBy: { code: 'asc' } });
          return keys.map(() => all);
        },
      ),
    )
    .load('all');
  const published: IndicatorInfo[] = rows
    .filter((r) => !known.has(r.code) && enabled.has(r.service))
    .map((r) => ({
      code: r.code,
      name: r.name,
      description: r.description,
      service: r.service,
      unit: r.unit,
      polarity: r.polarity,
      decimalPlaces: r.decimalPlaces,
      periodType: r.periodType as PeriodType,
      amberTolerance: r.amberTolerance ?? undefined,
    }));
  return [...defined, ...published];
}

/** One indicator by code: a plugin definition without touching the database, else a published-only row. */
export async function findIndicator(ctx: Context, code: string): Promise<IndicatorInfo | null> {
  const defined = pluginIndicators(ctx.services).find((d) => d.code === code);
  if (defined) return defined;
  return (await catalogue(ctx)).find((d) => d.code === code) ?? null;
}
