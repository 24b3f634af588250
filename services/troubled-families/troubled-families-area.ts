// GraphQL: Area.troubledFamilies, the service's headline figures for an area (a local authority or a
// district) through the reporting engine, and the claims table for it. Asked for every district at once,
// each figure costs one grouped statement per indicator x period (the engine's dataloaders).
import type { Builder } from '../../src/builder.js';
import { type Headline, headlineFields } from '../../src/core/reporting/plugin-api.js';
import { claimsProgress } from './claims-progress-data.js';
import type { registerClaimsProgress } from './claims-progress-type.js';

interface TroubledFamiliesAreaData {
  areaCode: string;
}

const HEADLINES: Headline[] = [
  {
    field: 'familiesAttached',
    indicatorCode: 'TF_FAMILIES_ATTACHED',
    description: 'Families attached to the programme in the financial year.',
  },
  {
    field: 'claims',
    indicatorCode: 'TF_CLAIMS',
    description:
      'Valid payment-by-results claims submitted in the financial year, against MINIMUM and STRETCH targets.',
  },
  {
    field: 'outcomesAchieved',
    indicatorCode: 'EH_OUTCOMES_ACHIEVED',
    description: 'Percentage of intensive early help cases closed in the year with outcomes achieved.',
  },
  {
    field: 'stepDownShare',
    indicatorCode: 'EH_STEP_DOWN_SHARE',
    description: 'Percentage of early help cases opened in the year that came as a step-down from social care.',
  },
  {
    field: 'reReferralsWithin12Months',
    indicatorCode: 'EH_REREFERRAL_12M',
    description:
      'Percentage of early help cases closed in the year followed by another case for the same child within 12 months.',
  },
];

export function registerTroubledFamiliesArea(
  builder: Builder,
  ClaimsProgress: ReturnType<typeof registerClaimsProgress>,
) {
  const TroubledFamiliesArea = builder.objectRef<TroubledFamiliesAreaData>('TroubledFamiliesArea').implement({
    description:
      'Troubled Families and Early Help for one area (a local authority or a district). Figures are by financial year and go through the reporting engine: targets, RAG, trends, benchmarks, breakdowns and disclosure control.',
    fields: (t) => ({
      ...headlineFields(t, HEADLINES, 'Financial year, e.g. `2016/2017|FY`.'),
      claimsProgress: t.field({
        // Raw claim counts (1 to 4 per district and window happen): not under disclosure control, so analysts only.
        authScopes: { analyst: true },
        type: ClaimsProgress,
        description:
          'The payment-by-results claims table for a financial year: one row per district of this area (or of `area`), the total against the local authority’s targets. Raw counts: analysts only.',
        args: {
          period: t.arg.string({ required: true, description: 'Financial year, e.g. `2016/2017|FY`.' }),
          area: t.arg.string({
            required: false,
            description: 'ONS code of a local authority or district; this area when omitted.',
          }),
        },
        resolve: (a, args, ctx) => claimsProgress(ctx, args.period, args.area ?? a.areaCode),
      }),
    }),
  });

  builder.prismaObjectField('Area', 'troubledFamilies', (t) =>
    t.field({
      type: TroubledFamiliesArea,
      description:
        'Troubled Families and Early Help in this area: headline figures and the claims table. Records are kept for a local authority and its districts; elsewhere figures are published ones or unavailable (`x`).',
      resolve: (area) => ({ areaCode: area.code }),
    }),
  );
}
