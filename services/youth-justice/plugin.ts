// The youth-justice service plugin: proven offences of children and young people and their disposals
// (out of court and in court); first-time entrants, re-offending and the custody share of court disposals;
// the disproportionality of its cohorts; import format, GraphQL types and demo seed.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { youthJusticeAccess } from './access.js';
import { youthJusticeCohorts } from './cohorts.js';
import { registerYouthJusticeEnums } from './enums.js';
import { youthJusticeFormats } from './import.js';
import { youthJusticeIndicators } from './indicators.js';
import { seedYouthJustice } from './seed.js';
import { registerYouthJusticeArea } from './youth-justice-area.js';
import { registerDisposal } from './youth-justice-disposal.js';
import { registerYouthJusticeService } from './youth-justice-service.js';

export const youthJustice: ServicePlugin = {
  key: 'youthJustice',
  slug: 'youth-justice',
  title: 'Youth Justice',
  register(builder) {
    const enums = registerYouthJusticeEnums(builder);
    const { YouthJusticeDisposalPage } = registerDisposal(builder, enums);
    registerYouthJusticeArea(builder);
    registerYouthJusticeService(builder, enums, { YouthJusticeDisposalPage });
  },
  indicators: youthJusticeIndicators,
  cohorts: youthJusticeCohorts,
  importers: youthJusticeFormats,
  fieldAccess: youthJusticeAccess,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: async (tx, rng, scale) => {
    await seedYouthJustice(tx, rng, scale, youthJustice);
  },
};
