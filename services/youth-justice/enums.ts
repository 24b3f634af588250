// GraphQL enums of the Youth Justice service: disposal tiers and types, the service's cohorts and the
// dimensions a relative rate index can be asked for.
import type { Builder } from '../../src/builder.js';
import type { DisposalType, Tier } from './disposal-types.js';

export const RRI_DIMENSIONS = ['ETHNICITY_MAJOR', 'IN_CARE', 'SEN_STATUS', 'SEX', 'FSM', 'EAL'] as const;
export type RriDimension = (typeof RRI_DIMENSIONS)[number];

export const YJ_COHORTS = {
  FIRST_TIME_ENTRANTS: 'youthJustice.firstTimeEntrants',
  REOFFENDERS: 'youthJustice.reoffenders',
  CUSTODY: 'youthJustice.custody',
} as const;
export type YjCohort = keyof typeof YJ_COHORTS;

export function registerYouthJusticeEnums(builder: Builder) {
  const tier = builder.enumType('YouthJusticeTier', {
    description: 'The tier of a disposal, as the Youth Justice Board counts them.',
    values: {
      PRE_COURT: { description: 'Out of court: community resolutions, youth cautions and youth conditional cautions.' },
      FIRST_TIER: { description: 'First-tier court sentences: referral and reparation orders, discharges, fines.' },
      COMMUNITY: { description: 'Community sentences: youth rehabilitation orders.' },
      CUSTODY: { description: 'Custodial sentences: detention and training orders and longer custody.' },
    } satisfies Record<Tier, { description: string }>,
  });
  const disposalType = builder.enumType('YouthJusticeDisposalType', {
    description: 'The disposal given for a proven offence.',
    values: {
      COMMUNITY_RESOLUTION: {
        description: 'An informal police resolution: not a substantive outcome (never a first-time entry).',
      },
      YOUTH_CAUTION: { description: 'A youth caution.' },
      YOUTH_CONDITIONAL_CAUTION: { description: 'A youth conditional caution.' },
      REFERRAL_ORDER: { description: 'A referral order (youth offender panel).' },
      REPARATION_ORDER: { description: 'A reparation order.' },
      YOUTH_REHABILITATION_ORDER: { description: 'A youth rehabilitation order.' },
      DETENTION_AND_TRAINING_ORDER: { description: 'A detention and training order.' },
      OTHER_CUSTODY: { description: 'Other custodial sentences (section 90/91 detention, extended sentences).' },
      OTHER_COURT: {
        description: 'Other court disposals: discharges, fines, compensation orders, or other community sentences.',
      },
    } satisfies Record<DisposalType, { description: string }>,
  });
  const cohort = builder.enumType('YouthJusticeCohort', {
    description: 'A youth justice cohort (the cohorts `youthJustice.*`), by financial year.',
    values: {
      FIRST_TIME_ENTRANTS: {
        description: 'youthJustice.firstTimeEntrants: first ever substantive outcome in the year.',
      },
      REOFFENDERS: {
        description:
          'youthJustice.reoffenders: a substantive outcome in the year and a further proven offence within 12 months.',
      },
      CUSTODY: { description: 'youthJustice.custody: sentenced to custody in the year.' },
    } satisfies Record<YjCohort, { description: string }>,
  });
  const rriDimension = builder.enumType('DisproportionalityDimension', {
    description: 'The characteristic whose groups a relative rate index compares.',
    values: {
      ETHNICITY_MAJOR: { description: 'DfE major ethnic group (White, Mixed, Asian, Black, Chinese, Other…).' },
      IN_CARE: { description: 'Looked after (child in care) or not.' },
      SEN_STATUS: { description: 'Special educational needs: none, SEN support, EHC plan.' },
      SEX: { description: 'Sex.' },
      FSM: { description: 'Eligible for free school meals or not.' },
      EAL: { description: 'English as an additional language or not.' },
    } satisfies Record<RriDimension, { description: string }>,
  });
  return { tier, disposalType, cohort, rriDimension };
}

export type YouthJusticeEnums = ReturnType<typeof registerYouthJusticeEnums>;
