// Who may read each field Troubled Families adds (src/core/access/field-access.ts): its types, and its
// fields on Query and Area. Checked against the schema by test/access/matrix.test.ts; nothing in src/
// reads it. The claims table holds raw counts (no disclosure control): analysts only.
import { analysts, everyone, type FieldAccess, records } from '../../src/core/access/field-access.js';

export const troubledFamiliesAccess: FieldAccess = {
  Query: everyone('troubledFamilies'),
  Area: everyone('troubledFamilies'),
  TroubledFamilies: { ...analysts('claimsProgress'), ...records('troubled-families', 'earlyHelpCases families') },
  TroubledFamiliesArea: {
    ...everyone('claims familiesAttached outcomesAchieved reReferralsWithin12Months stepDownShare'),
    ...analysts('claimsProgress'),
  },
  ClaimsProgress: analysts('period rows total windows'),
  ClaimsProgressRow: analysts(
    'area byWindow claims minimumTarget percentOfMinimum percentOfStretch previousYearClaims stretchTarget',
  ),
  ClaimWindowCount: analysts('claims window'),
  TroubledFamily: records('troubled-families', 'attachedOn claims criteria district id members'),
  TroubledFamilyMember: records('troubled-families', 'personId role'),
  TroubledFamilyPage: records('troubled-families', 'nextCursor nodes totalCount'),
  EarlyHelpCase: records(
    'troubled-families',
    'closedOn closureReason district family id intensive openedOn personId stepDown',
  ),
  EarlyHelpCasePage: records('troubled-families', 'nextCursor nodes totalCount'),
  PbrClaim: records('troubled-families', 'counts id outcome status submittedOn window'),
};
