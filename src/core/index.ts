// Registers what no single service owns, in order: shared types first, so plugins can extend them.
import type { Builder } from '../builder.js';
import { registerAccess } from './access/graphql.js';
import { registerArea } from './area.js';
import { registerCohorts } from './cohorts/index.js';
import { registerIngest } from './ingest/graphql.js';
import { registerPeriod } from './period.js';
import { registerReporting } from './reporting/index.js';

export function registerCore(builder: Builder) {
  registerArea(builder);
  registerPeriod(builder);
  registerIngest(builder);
  registerReporting(builder);
  registerCohorts(builder);
  registerAccess(builder);
}
