// The engine's data path for one indicator x period, per request, batched by dataloader:
// - facts: ONE grouped statement per indicator x period (facts.ts), covering every LA and district;
// - observations: one statement per batch for every (indicator, period) asked in that tick;
// - targets: likewise (areas and periods: directories.ts).
// Every loader goes through the result cache (cache.ts): what it loads is kept across requests until an
// import changes the tables it read. Cached values are raw counts and rows; suppression happens after.
import type { Context } from '../../context.js';
import type { Observation, Target } from '../../generated/prisma/client.js';
import { factsTables, factsVariant } from './cache.js';
import { ensureCatalogue, pluginIndicators } from './catalogue.js';
import { computeFacts, type FactsNeed, type PeriodFacts, type PersonDimension } from './facts.js';
import type { IndicatorInfo } from './indicator-types.js';
import { readStored } from './replica-routing.js';
import { askFor, freshSnapshots } from './snapshots.js';

const keyOf = (indicatorCode: string, periodCode: string) => `${indicatorCode}|${periodCode}`;
const splitKey = (key: string) => {
  const i = key.indexOf('|');
  return { indicatorCode: key.slice(0, i), periodCode: key.slice(i + 1) };
};

// Facts keys: indicator|period|dimensions, where dimensions is `*` (the whole table) or a comma list of
// person dimensions ('' = totals only).
const factsKeyOf = (indicatorCode: string, periodCode: string, need: FactsNeed) =>
  `${keyOf(indicatorCode, periodCode)}|${need === 'ALL' ? '*' : [...need].sort().join(',')}`;
const splitFactsKey = (key: string) => {
  const i = key.lastIndexOf('|');
  const dims = key.slice(i + 1);
  const need: FactsNeed = dims === '*' ? 'ALL' : dims ? (dims.split(',') as PersonDimension[]) : [];
  return { ...splitKey(key.slice(0, i)), need, base: key.slice(0, i) };
};

/** One need covering all of `needs`. */
function unionNeed(needs: FactsNeed[]): FactsNeed {
  if (needs.includes('ALL')) return 'ALL';
  return [...new Set(needs.flatMap((n) => n as PersonDimension[]))];
}

const byCodeCache = new WeakMap<Context['services'], Map<string, IndicatorInfo>>();
function indicatorsByCode(services: Context['services']): Map<string, IndicatorInfo> {
  let m = byCodeCache.get(services);
  if (!m) {
    m = new Map(pluginIndicators(services).map((d) => [d.code, d]));
    byCodeCache.set(services, m);
  }
  return m;
}

/**
 * The grouped facts of a record-level indicator for a period, grouped by at least the dimensions `need`
 * asks for: one statement per indicator x period per request, whatever each field needs, because the keys
 * of one tick are batched and each indicator x period is computed once with the union of what they ask.
 * A figure that needs totals only (value, RAG, trend, benchmarks) thus costs no breakdown at all. Under
 * disclosure control the whole table is always computed: suppression decisions cover the whole table.
 */
export async function periodFacts(
  ctx: Context,
  indicator: IndicatorInfo,
  periodCode: string,
  need: FactsNeed = [],
): Promise<PeriodFacts | null> {
  if (!indicator.facts) return null;
  const defs = () => indicatorsByCode(ctx.services);
  return ctx
    .loader<string, PeriodFacts>(
      'reporting.facts',
      ctx.results.batch(
        'facts',
        (key) => factsTables(defs().get(splitFactsKey(key).indicatorCode)),
        async (keys) => {
          const byCode = defs();
          const byBase = new Map<string, FactsNeed[]>();
          for (const key of keys) {
            const k = splitFactsKey(key);
            byBase.set(k.base, [...(byBase.get(k.base) ?? []), k.need]);
          }
          // Materialised facts first, while fresh (snapshots.ts); each read where its tables route to.
          const { found: snapshots, clientOf } = await readStored<PeriodFacts>(
            ctx,
            [...byBase.keys()].flatMap((base) => {
              const { indicatorCode, periodCode: p } = splitKey(base);
              const def = byCode.get(indicatorCode);
              return def ? [askFor(base, def, p)] : [];
            }),
            freshSnapshots,
          );
          const computed = new Map(
            await Promise.all(
              [...byBase].map(async ([base, needs]) => {
                const { indicatorCode, periodCode: p } = splitKey(base);
                const def = byCode.get(indicatorCode);
                if (!def) return [base, new Error(`Indicator ${indicatorCode} is not enabled`)] as const;
                const snapshot = snapshots.get(base);
                if (snapshot) return [base, snapshot] as const;
                return [
                  base,
                  await computeFacts(clientOf.get(base) ?? ctx.db.prisma, def, p, unionNeed(needs)).catch(
                    (e: Error) => e,
                  ),
                ] as const;
              }),
            ),
          );
          return keys.map((key) => computed.get(splitFactsKey(key).base)!);
        },
        // The statement's text is part of the key: a release that changes an indicator's SQL never reads
        // figures another release cached in Redis.
        (key) => {
          const k = splitFactsKey(key);
          return factsVariant(defs().get(k.indicatorCode), k.periodCode, k.need);
        },
      ),
    )
    .load(factsKeyOf(indicator.code, periodCode, ctx.disclosureControl ? 'ALL' : need));
}

/** Published figures of an indicator x period: area → breakdown → row. */
export async function periodObservations(
  ctx: Context,
  indicatorCode: string,
  periodCode: string,
): Promise<Map<string, Map<string, Observation>>> {
  await ensureCatalogue(ctx);
  return ctx
    .loader<string, Map<string, Map<string, Observation>>>(
      'reporting.observations',
      ctx.results.batch(
        'observations',
        () => ['Observation'],
        async (keys) => {
          const rows = await ctx.db.prisma.observation.findMany({ where: { OR: keys.map(splitKey) } });
          const byKey = new Map(keys.map((k) => [k, new Map<string, Map<string, Observation>>()]));
          for (const r of rows) {
            const byArea = byKey.get(keyOf(r.indicatorCode, r.periodCode));
            if (!byArea) continue;
            const byBreakdown = byArea.get(r.areaCode) ?? new Map<string, Observation>();
            byBreakdown.set(r.breakdown, r);
            byArea.set(r.areaCode, byBreakdown);
          }
          return keys.map((k) => byKey.get(k)!);
        },
      ),
    )
    .load(keyOf(indicatorCode, periodCode));
}

/** Targets of an indicator x period by area. */
export async function periodTargets(
  ctx: Context,
  indicatorCode: string,
  periodCode: string,
): Promise<Map<string, Target[]>> {
  return ctx
    .loader<string, Map<string, Target[]>>(
      'reporting.targets',
      ctx.results.batch(
        'targets',
        () => ['Target'],
        async (keys) => {
          const rows = await ctx.db.prisma.target.findMany({ where: { OR: keys.map(splitKey) } });
          const byKey = new Map(keys.map((k) => [k, new Map<string, Target[]>()]));
          for (const r of rows) {
            const byArea = byKey.get(keyOf(r.indicatorCode, r.periodCode));
            if (!byArea) continue;
            byArea.set(r.areaCode, [...(byArea.get(r.areaCode) ?? []), r]);
          }
          return keys.map((k) => byKey.get(k)!);
        },
      ),
    )
    .load(keyOf(indicatorCode, periodCode));
}
