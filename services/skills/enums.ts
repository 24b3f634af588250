// GraphQL enums of the Skills and Employability service: participation status (the DfE's NEET measures)
// and apprenticeship level.
import type { Builder } from '../../src/builder.js';

export const PARTICIPATION_STATUSES = ['EET', 'NEET', 'NOT_KNOWN'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

export const APPRENTICESHIP_LEVELS = ['LEVEL_2', 'LEVEL_3', 'LEVEL_4_PLUS'] as const;
export type ApprenticeshipLevel = (typeof APPRENTICESHIP_LEVELS)[number];

export function registerSkillsEnums(builder: Builder) {
  const status = builder.enumType('ParticipationStatus', {
    description: 'A young person’s activity in a month, as the DfE’s NEET measures group it.',
    values: {
      EET: { description: 'In education, employment or training.' },
      NEET: { description: 'Not in education, employment or training.' },
      NOT_KNOWN: { description: 'Current activity not known to the council.' },
    } as const,
  });
  const level = builder.enumType('ApprenticeshipLevel', {
    description: 'Level of an apprenticeship.',
    values: {
      LEVEL_2: { description: 'Intermediate apprenticeship (level 2).' },
      LEVEL_3: { description: 'Advanced apprenticeship (level 3).' },
      LEVEL_4_PLUS: { description: 'Higher or degree apprenticeship (level 4 and above).' },
    } as const,
  });
  return { status, level };
}

export type SkillsEnums = ReturnType<typeof registerSkillsEnums>;
