// GraphQL: Area.youthJustice, the service's headline figures for an area (a local authority or a district),
// each an IndicatorValue from the reporting engine (targets, RAG, trends, benchmarks, breakdowns, disclosure
// control). Asked for every district at once, each figure costs one grouped statement per indicator x
// period (the engine's dataloaders).
import type { Builder } from '../../src/builder.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';

interface YouthJusticeAreaData {
  areaCode: string;
}

const HEADLINES: Headline[] = [
  {
    field: 'firstTimeEntrants',
    indicatorCode: 'YJ_FIRST_TIME_ENTRANTS',
    description:
      'Children and young people whose first ever substantive outcome (caution, conditional caution or sentence) was in the financial year; community resolutions do not count.',
  },
  {
    field: 'firstTimeEntrantsRate',
    indicatorCode: 'YJ_FIRST_TIME_ENTRANTS_RATE',
    description:
      'First-time entrants per 100,000 residents aged 10 to 17, where every district of the local authority has a population figure (YJ_POPULATION_10_17 Observation) for the year.',
  },
  {
    field: 'reoffending',
    indicatorCode: 'YJ_REOFFENDING',
    description:
      'Percentage of those with a substantive outcome in the financial year who committed a further proven offence within 12 months of their first one in the year.',
  },
  {
    field: 'custodyShare',
    indicatorCode: 'YJ_CUSTODY_SHARE',
    description:
      'Custodial sentences as a percentage of court disposals (first-tier, community and custodial) in the financial year.',
  },
];

export function registerYouthJusticeArea(builder: Builder) {
  const YouthJusticeArea = builder.objectRef<YouthJusticeAreaData>('YouthJusticeArea').implement({
    description:
      'Youth Justice in one area (a local authority or a district): headline figures by financial year through the reporting engine. Children and young people count in their home district.',
    fields: (t) => headlineFields(t, HEADLINES, 'Financial year, e.g. `2016/2017|FY`.'),
  });

  builder.prismaObjectField('Area', 'youthJustice', (t) =>
    t.field({
      type: YouthJusticeArea,
      description:
        'Youth Justice in this area: first-time entrants (count and rate), re-offending and the custody share of court disposals. Records are kept for a local authority and its districts; elsewhere figures are published ones or unavailable (`x`).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
