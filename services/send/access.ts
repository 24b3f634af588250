// Who may read each field SEND adds (src/core/access/field-access.ts): its types, and its fields on Query
// and Area. Checked against the schema by test/access/matrix.test.ts; nothing in src/ reads it.
import { everyone, type FieldAccess, records } from '../../src/core/access/field-access.js';

export const sendAccess: FieldAccess = {
  Query: everyone('send'),
  Area: everyone('send'),
  Send: records('send', 'assessments'),
  SendArea: everyone('ehcpCount ehcpIssuedWithin20Weeks specialistPlaces specialistPlacesByNeed'),
  // Places (capacity), not children: published by the DfE at this level.
  SpecialistPlacesByNeed: everyone('need places resourced specialSchools'),
  EhcAssessment: records(
    'send',
    'daysToIssue decidedOn district exception id issuedOn issuedWithin20Weeks outcome personId primaryNeed requestedOn',
  ),
  EhcAssessmentPage: records('send', 'nextCursor nodes totalCount'),
};
