// The send service plugin: Special Educational Needs and Disabilities. EHC needs assessments and their
// 20-week timeliness, EHC plans, commissioned specialist provision; their indicators, cohorts, import
// formats, GraphQL types and demo seed.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { sendAccess } from './access.js';
import { sendCohorts } from './cohorts.js';
import { registerEhcAssessment } from './ehc-assessment.js';
import { registerSendEnums } from './enums.js';
import { sendFormats } from './import.js';
import { sendIndicators } from './indicators.js';
import { seedSend } from './seed.js';
import { registerSendArea } from './send-area.js';
import { registerSendService } from './send-service.js';

export const send: ServicePlugin = {
  key: 'send',
  slug: 'send',
  title: 'Special Educational Needs and Disabilities',
  register(builder) {
    const enums = registerSendEnums(builder);
    const { EhcAssessmentPage } = registerEhcAssessment(builder, enums);
    registerSendArea(builder, enums);
    registerSendService(builder, enums, { EhcAssessmentPage });
  },
  indicators: sendIndicators,
  cohorts: sendCohorts,
  importers: sendFormats,
  fieldAccess: sendAccess,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: async (tx, rng, scale) => {
    await seedSend(tx, rng, scale);
  },
};
