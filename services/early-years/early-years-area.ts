// GraphQL: Area.earlyYears, the service's headline figures for an area (a local authority or a district),
// each an IndicatorValue from the reporting engine (targets, RAG, trend, benchmarks, breakdowns, gaps,
// disclosure control). Asked for every district at once, each figure costs one grouped statement per
// indicator x period (the engine's dataloaders), not one per district.
import type { Builder } from '../../src/builder.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';

interface EarlyYearsAreaData {
  areaCode: string;
}

const PERIOD = 'Academic year, e.g. `2015/2016|AY`.';

const HEADLINES: Headline[] = [
  {
    field: 'goodLevelOfDevelopment',
    indicatorCode: 'EY_GLD',
    description: 'Percentage of children at the end of Reception achieving a good level of development (EYFS profile).',
  },
  {
    field: 'twoYearOldTakeUp',
    indicatorCode: 'EY_TWO_YEAR_TAKE_UP',
    description: 'Percentage of eligible two-year-olds taking up a funded early education place.',
  },
  {
    field: 'settingsGoodOrOutstanding',
    indicatorCode: 'EY_SETTINGS_GOOD_OUTSTANDING',
    description:
      'Percentage of early years settings judged good or outstanding at their latest inspection (at 31 August).',
  },
  {
    field: 'childrensCentreRegistration',
    indicatorCode: 'EY_CENTRE_REGISTRATION',
    description: 'Percentage of under-fives registered with a children’s centre (at 31 August).',
  },
];

export function registerEarlyYearsArea(builder: Builder) {
  const EarlyYearsArea = builder.objectRef<EarlyYearsAreaData>('EarlyYearsArea').implement({
    description:
      'Early Years and Childcare in one area (a local authority or a district): headline figures by academic year, through the reporting engine.',
    fields: (t) => headlineFields(t, HEADLINES, PERIOD),
  });

  builder.prismaObjectField('Area', 'earlyYears', (t) =>
    t.field({
      type: EarlyYearsArea,
      description:
        'Early Years and Childcare in this area: EYFS good level of development, two-year-old take-up, settings’ inspection outcomes, children’s centre reach. Records are kept for a local authority and its districts; elsewhere figures are published ones or unavailable (`x`).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
