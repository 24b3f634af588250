// Who may read each field Early Years adds (src/core/access/field-access.ts): its types, and its fields on
// Query and Area. Checked against the schema by test/access/matrix.test.ts; nothing in src/ reads it.
import { everyone, type FieldAccess, records } from '../../src/core/access/field-access.js';

export const earlyYearsAccess: FieldAccess = {
  Query: everyone('earlyYears'),
  Area: everyone('earlyYears'),
  EarlyYears: records('early-years', 'eyfsResults settings'),
  EarlyYearsArea: everyone(
    'childrensCentreRegistration goodLevelOfDevelopment settingsGoodOrOutstanding twoYearOldTakeUp',
  ),
  EyfsResult: records('early-years', 'district goodLevelOfDevelopment period personId totalPoints'),
  EyfsResultPage: records('early-years', 'nextCursor nodes totalCount'),
  EarlyYearsSetting: records(
    'early-years',
    'closedOn district inspections latestInspection name registeredOn type urn',
  ),
  EarlyYearsSettingPage: records('early-years', 'nextCursor nodes totalCount'),
  EarlyYearsInspection: records('early-years', 'goodOrOutstanding grade inspectedOn'),
};
