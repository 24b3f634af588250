// Who may read each field Skills (participation, NEET, apprenticeships) adds
// (src/core/access/field-access.ts): its types, and its fields on Query and Area. Checked against the
// schema by test/access/matrix.test.ts; nothing in src/ reads it.
import { everyone, type FieldAccess, records } from '../../src/core/access/field-access.js';

export const skillsAccess: FieldAccess = {
  Query: everyone('skills'),
  Area: everyone('skills'),
  Skills: records('skills', 'apprenticeshipStarts participationHistories participationHistory'),
  SkillsArea: everyone('activityNotKnown apprenticeshipStarts16To18 apprenticeshipStarts16To24 neet'),
  ApprenticeshipStart: records('skills', 'ageAtStart district level personId startedOn'),
  ApprenticeshipStartPage: records('skills', 'nextCursor nodes totalCount'),
  ParticipationHistory: records('skills', 'district months neetMonths personId'),
  ParticipationHistoryPage: records('skills', 'nextCursor nodes totalCount'),
  ParticipationMonth: records('skills', 'academicAge activity month snapshot status'),
};
