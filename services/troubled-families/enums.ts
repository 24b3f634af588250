// GraphQL enums of the troubled families records: headline criteria, member roles, claim outcomes and
// statuses, early help closure reasons. Values are the stored (and imported) codes.
import type { Builder } from '../../src/builder.js';
import {
  EarlyHelpClosureReason,
  FamilyMemberRole,
  HeadlineCriterion,
  PbrClaimOutcome,
  PbrClaimStatus,
} from '../../src/generated/prisma/enums.js';

export function registerTroubledFamiliesEnums(builder: Builder) {
  const criterion = builder.enumType(HeadlineCriterion, {
    name: 'HeadlineCriterion',
    description: 'The national headline criteria of the Troubled Families programme (a family meets at least two).',
    values: {
      CRIME_ASB: { description: 'Parents and children involved in crime or anti-social behaviour.' },
      EDUCATION: { description: 'Children who have not been attending school regularly.' },
      CHILDREN_IN_NEED: { description: 'Children who need help: in need, or subject to a child protection plan.' },
      WORKLESSNESS: {
        description: 'Adults out of work or at risk of financial exclusion, or young people at risk of worklessness.',
      },
      DOMESTIC_ABUSE: { description: 'Families affected by domestic violence and abuse.' },
      HEALTH: { description: 'Parents and children with a range of health problems.' },
    },
  });
  const role = builder.enumType(FamilyMemberRole, {
    name: 'FamilyMemberRole',
    description: 'A member’s place in a troubled family.',
    values: {
      ADULT: { description: 'An adult member (a young adult the directorate knows).' },
      CHILD: { description: 'A child of the family.' },
    },
  });
  const outcome = builder.enumType(PbrClaimOutcome, {
    name: 'PbrClaimOutcome',
    description: 'What a payment-by-results claim is made for.',
    values: {
      SIGNIFICANT_AND_SUSTAINED_PROGRESS: {
        description: 'Significant and sustained progress against every problem the family had when attached.',
      },
      CONTINUOUS_EMPLOYMENT: { description: 'An adult moved into continuous employment.' },
    },
  });
  const status = builder.enumType(PbrClaimStatus, {
    name: 'PbrClaimStatus',
    description: 'Where a claim is in its audit. REJECTED claims never count; all others do.',
    values: {
      SUBMITTED: { description: 'Submitted, still being audited.' },
      VALIDATED: { description: 'Validated by audit.' },
      PAID: { description: 'Paid by the government department.' },
      REJECTED: { description: 'Rejected at audit: never counted.' },
    },
  });
  const closureReason = builder.enumType(EarlyHelpClosureReason, {
    name: 'EarlyHelpClosureReason',
    description: 'Why an early help case was closed.',
    values: {
      OUTCOMES_ACHIEVED: { description: 'Closed with the plan’s outcomes achieved.' },
      STEPPED_UP_TO_SOCIAL_CARE: { description: 'Stepped up to specialist children’s services (social care).' },
      DISENGAGED: { description: 'The family stopped engaging.' },
      MOVED_AWAY: { description: 'The family moved out of the area.' },
      OTHER: { description: 'Any other reason.' },
    },
  });
  return { criterion, role, outcome, status, closureReason };
}

export type TroubledFamiliesEnums = ReturnType<typeof registerTroubledFamiliesEnums>;
