// The skills service plugin: Skills and Employability. Monthly participation (NEET) tracking of young people
// of academic age 16 and 17 and apprenticeship starts; their indicators (the DfE's December to February
// NEET and not-known averages, starts at 16-18 and 16-24), cohorts, import formats, GraphQL types and demo
// seed.
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { skillsAccess } from './access.js';
import { registerApprenticeshipStart } from './apprenticeship-start.js';
import { skillsCohorts } from './cohorts.js';
import { registerSkillsEnums } from './enums.js';
import { skillsFormats } from './import.js';
import { skillsIndicators } from './indicators.js';
import { registerParticipation } from './participation.js';
import { seedSkills } from './seed.js';
import { registerSkillsArea } from './skills-area.js';
import { registerSkillsService } from './skills-service.js';

export const skills: ServicePlugin = {
  key: 'skills',
  slug: 'skills',
  title: 'Skills and Employability',
  register(builder) {
    const enums = registerSkillsEnums(builder);
    const participation = registerParticipation(builder, enums);
    const apprenticeships = registerApprenticeshipStart(builder, enums);
    registerSkillsArea(builder);
    registerSkillsService(builder, enums, { ...participation, ...apprenticeships });
  },
  indicators: skillsIndicators,
  cohorts: skillsCohorts,
  importers: skillsFormats,
  fieldAccess: skillsAccess,
  operations: path.join(import.meta.dirname, 'operations'),
  seed: async (tx, rng, scale) => {
    await seedSkills(tx, rng, scale, skills);
  },
};
