// GraphQL: Area.skills, the service's headline figures for an area (a local authority or a district), each
// an IndicatorValue from the reporting engine (targets, RAG, trend, benchmarks, breakdowns, gaps, disclosure
// control). Asked for every district at once, each figure costs one grouped statement per indicator x
// period (the engine's dataloaders), not one per district.
import type { Builder } from '../../src/builder.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';

interface SkillsAreaData {
  areaCode: string;
}

const PERIOD = 'Academic year, e.g. `2016/2017|AY` (its December, January and February for NEET measures).';

const HEADLINES: Headline[] = [
  {
    field: 'neet',
    indicatorCode: 'SK_NEET',
    description:
      'Percentage of 16-17 year olds (academic age) with a known activity who are not in education, employment or training: the average of the December, January and February snapshots (the DfE headline).',
  },
  {
    field: 'activityNotKnown',
    indicatorCode: 'SK_NOT_KNOWN',
    description:
      'Percentage of 16-17 year olds (academic age) whose activity is not known: the average of the December, January and February snapshots.',
  },
  {
    field: 'apprenticeshipStarts16To18',
    indicatorCode: 'SK_APPRENTICESHIPS_16_18',
    description: 'Apprenticeships started in the academic year by people aged 16 to 18 at the start.',
  },
  {
    field: 'apprenticeshipStarts16To24',
    indicatorCode: 'SK_APPRENTICESHIPS_16_24',
    description: 'Apprenticeships started in the academic year by people aged 16 to 24 at the start.',
  },
];

export function registerSkillsArea(builder: Builder) {
  const SkillsArea = builder.objectRef<SkillsAreaData>('SkillsArea').implement({
    description:
      'Skills and Employability in one area (a local authority or a district): NEET and not-known headline figures and apprenticeship starts by academic year, through the reporting engine.',
    fields: (t) => headlineFields(t, HEADLINES, PERIOD),
  });

  builder.prismaObjectField('Area', 'skills', (t) =>
    t.field({
      type: SkillsArea,
      description:
        'Skills and Employability in this area: 16-17 year olds NEET and not known, apprenticeship starts. Records are kept for a local authority and its districts; elsewhere figures are published ones or unavailable (`x`).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
