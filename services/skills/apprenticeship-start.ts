// GraphQL: ApprenticeshipStart, one apprenticeship started by a person (record level: analysts only), and a
// page of them.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import { ageAt } from './ages.js';
import type { ApprenticeshipLevel, SkillsEnums } from './enums.js';

export interface StartRow {
  personId: string;
  districtCode: string | null;
  birthMonth: Date;
  startedOn: Date;
  level: ApprenticeshipLevel;
}

export function registerApprenticeshipStart(builder: Builder, enums: SkillsEnums) {
  const ApprenticeshipStart = builder.objectRef<StartRow>('ApprenticeshipStart').implement({
    ...recordLevel('skills'),
    description: 'An apprenticeship started by a person. Record level: analysts only.',
    fields: (t) => ({
      personId: t.exposeString('personId', { description: 'Pseudonymous person id of the apprentice.' }),
      district: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The home district of the apprentice; null when unknown.',
        resolve: (_query, s, _args, ctx) => areaByCode(ctx, s.districtCode),
      }),
      startedOn: t.field({
        type: 'Date',
        description: 'The day the apprenticeship started.',
        resolve: (s) => s.startedOn,
      }),
      level: t.field({ type: enums.level, description: 'Level of the apprenticeship.', resolve: (s) => s.level }),
      ageAtStart: t.int({
        description:
          'Age in whole years at the start, from the birth month (the birthday counted from the first of the month): 16 to 18 and 16 to 24 are the bands of the apprenticeship indicators.',
        resolve: (s) => ageAt(s.birthMonth, s.startedOn),
      }),
    }),
  });

  const ApprenticeshipStartPage = pageType(builder, ApprenticeshipStart, {
    service: 'skills',
    description: 'A page of apprenticeship starts, by start date.',
    nodes: 'The starts on this page, by start date then person id.',
    totalCount: 'Starts matching the filters, on every page.',
  });
  return { ApprenticeshipStartPage };
}
