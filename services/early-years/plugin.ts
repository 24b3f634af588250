// The early-years service plugin: Early Years and Childcare. EYFS profile results, early years settings
// and their Ofsted inspections, funded places for two-year-olds, children's centre registrations; their
// indicators, cohorts, import formats, GraphQL types and demo seed.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { earlyYearsAccess } from './access.js';
import { earlyYearsCohorts } from './cohorts.js';
import { earlyYearsStoredCounts } from './counts.js';
import { registerEarlyYearsArea } from './early-years-area.js';
import { registerEarlyYearsService } from './early-years-service.js';
import { registerEarlyYearsSetting } from './early-years-setting.js';
import { registerEarlyYearsEnums } from './enums.js';
import { registerEyfsResult } from './eyfs-result.js';
import { earlyYearsFormats } from './import.js';
import { earlyYearsIndicators } from './indicators.js';
import { seedEarlyYears } from './seed.js';

export const earlyYears: ServicePlugin = {
  key: 'earlyYears',
  slug: 'early-years',
  title: 'Early Years and Childcare',
  register(builder) {
    const enums = registerEarlyYearsEnums(builder);
    const { EyfsResultPage } = registerEyfsResult(builder);
    const { EarlyYearsSettingPage } = registerEarlyYearsSetting(builder, enums);
    registerEarlyYearsArea(builder);
    registerEarlyYearsService(builder, enums, { EyfsResultPage, EarlyYearsSettingPage });
  },
  indicators: earlyYearsIndicators,
  cohorts: earlyYearsCohorts,
  storedCounts: earlyYearsStoredCounts,
  importers: earlyYearsFormats,
  fieldAccess: earlyYearsAccess,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: async (tx, rng, scale) => {
    await seedEarlyYears(tx, rng, scale);
  },
};
