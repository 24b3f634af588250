// Per-request context: the database, who is asking, fresh dataloaders, and this request's view of the
// cross-request result cache (src/core/reporting/cache.ts), which the reporting loaders go through.
import DataLoader from 'dataloader';
import type { Viewer } from './core/access/viewer.js';
import type { ServicePlugin } from './core/plugin.js';
import { type RequestCache, type ResultCache, UNCACHED } from './core/reporting/cache.js';
import { sharedStoreCounters } from './core/reporting/counters.js';
import type { Database } from './db.js';

// The builder's resolvers get this context. It is merged into BuilderTypes here instead of builder.ts importing
// it, because the context holds the service plugins and their contract takes the builder: an import would
// close the loop context → plugin → builder → context.
declare module './builder.js' {
  interface BuilderTypes {
    Context: Context;
  }
}

export interface Context {
  db: Database;
  /** The enabled service plugins (their indicators and cohorts). */
  services: ServicePlugin[];
  viewer: Viewer;
  /** Small-number suppression on (partners, public). */
  disclosureControl: boolean;
  /** Per-request DataLoader registry: `ctx.loader('areaByCode', batchFn)`. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
  /** Results kept across requests until a write changes their tables; uncached when the app has none. */
  results: RequestCache;
}

export interface ContextOptions {
  db: Database;
  services: ServicePlugin[];
  viewer?: Viewer;
  disclosureControl?: boolean;
  /** The app's result cache (absent: every read goes to the database). */
  resultCache?: ResultCache;
}

export const ANALYST: Viewer = { role: 'DIRECTORATE_ANALYST', services: [], name: 'demo' };

export function createContext({
  db,
  services,
  viewer = ANALYST,
  disclosureControl,
  resultCache,
}: ContextOptions): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    db,
    services,
    viewer,
    disclosureControl: disclosureControl ?? (viewer.role === 'PARTNER' || viewer.role === 'PUBLIC'),
    results: resultCache?.forRequest(() => sharedStoreCounters(db.prisma)) ?? UNCACHED,
    loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>) {
      let l = loaders.get(name);
      if (!l) {
        l = new DataLoader(batch as (keys: readonly unknown[]) => Promise<unknown[]>);
        loaders.set(name, l);
      }
      return l as DataLoader<K, V>;
    },
  };
}
