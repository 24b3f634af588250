// The troubled-families service plugin: the Troubled Families programme (families, members,
// payment-by-results claims against targets) and Early Help cases, with their indicators, cohorts,
// import formats, GraphQL types and demo seed.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { troubledFamiliesAccess } from './access.js';
import { registerClaimsProgress } from './claims-progress-type.js';
import { troubledFamiliesCohorts } from './cohorts.js';
import { registerEarlyHelpCase } from './early-help-case.js';
import { registerTroubledFamiliesEnums } from './enums.js';
import { troubledFamiliesImporters } from './import.js';
import { troubledFamiliesIndicators } from './indicators.js';
import { seedTroubledFamilies } from './seed.js';
import { registerTroubledFamiliesArea } from './troubled-families-area.js';
import { registerTroubledFamiliesService } from './troubled-families-service.js';
import { registerTroubledFamily } from './troubled-family.js';

export const troubledFamilies: ServicePlugin = {
  key: 'troubledFamilies',
  slug: 'troubled-families',
  title: 'Troubled Families and Early Help',
  register(builder) {
    const enums = registerTroubledFamiliesEnums(builder);
    const ClaimsProgress = registerClaimsProgress(builder);
    const { TroubledFamilyPage } = registerTroubledFamily(builder, enums);
    const { EarlyHelpCasePage } = registerEarlyHelpCase(builder, enums);
    registerTroubledFamiliesArea(builder, ClaimsProgress);
    registerTroubledFamiliesService(builder, enums, { ClaimsProgress, TroubledFamilyPage, EarlyHelpCasePage });
  },
  indicators: troubledFamiliesIndicators,
  cohorts: troubledFamiliesCohorts,
  importers: troubledFamiliesImporters,
  fieldAccess: troubledFamiliesAccess,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: (tx, rng, scale) => seedTroubledFamilies(tx, rng, scale, troubledFamilies),
};
