// Who may read each field Youth Justice adds (src/core/access/field-access.ts): its types, and its fields
// on Query and Area. Checked against the schema by test/access/matrix.test.ts; nothing in src/ reads it.
import { everyone, type FieldAccess, records } from '../../src/core/access/field-access.js';

export const youthJusticeAccess: FieldAccess = {
  Query: everyone('youthJustice'),
  Area: everyone('youthJustice'),
  YouthJustice: { ...records('youth-justice', 'disposals'), ...everyone('disproportionality') },
  YouthJusticeArea: everyone('custodyShare firstTimeEntrants firstTimeEntrantsRate reoffending'),
  YouthJusticeDisposal: records(
    'youth-justice',
    'court disposalType disposedOn district id offenceOn personId substantive tier',
  ),
  YouthJusticeDisposalPage: records('youth-justice', 'nextCursor nodes totalCount'),
  YouthJusticeDisproportionality: everyone('area cohort cohortSize dimension groups period population'),
  YouthJusticeRelativeRate: everyone(
    'cohortCount cohortShare group label lower populationCount populationShare rri significant upper',
  ),
};
