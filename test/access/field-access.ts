// Who may read each field of the schema: the declaration matrix.test.ts checks every role against. Every
// field of every object type (Query and Mutation included) is listed once; a field the schema has and this
// file lacks fails the test, which prints a declaration to paste here after review.
//
// Access is what the role can read through the API, whatever enforces it (the field's scope, its type's,
// or an ancestor's): a field of a record-level type is `records(<its service>)` even where only the list
// field above it carries the scope. Rules (DESIGN.md "Access and disclosure", issue 8):
// - records(slug): record-level types and person-level fields, and the pages and lists returning them:
//   directorate analysts, and service analysts of that service;
// - everyone(...): aggregates, catalogues and reference data: every role, partners and the public included
//   (under disclosure control);
// - analysts(...): operational data about the service itself (audit log): both analyst roles;
// - directorate(...): writes (imports).
// This file is the test's independent statement of intent: nothing in src/ reads it, so the test cannot
// pass by construction.

export type Access = 'everyone' | 'analysts' | 'directorate' | { records: string };

const declare = (access: Access, names: string): Record<string, Access> =>
  Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, access]),
  );

/** Fields every role reads: aggregates under disclosure control, catalogues, reference data. */
export const everyone = (names: string) => declare('everyone', names);
/** Fields for directorate and service analysts (any service). */
export const analysts = (names: string) => declare('analysts', names);
/** Fields for directorate analysts only. */
export const directorate = (names: string) => declare('directorate', names);
/** Record-level or person-level fields of the service `slug`: directorate analysts and its service analysts. */
export const records = (slug: string, names: string) => declare({ records: slug }, names);

export const FIELD_ACCESS: Record<string, Record<string, Access>> = {
  // Roots. Writes are the directorate's; the audit log and import runs are operational data for analysts.
  Query: {
    ...everyone(
      'area areas cohort cohorts earlyYears importFormats indicator indicators period periods scorecard send skills troubledFamilies viewer youthJustice',
    ),
    ...analysts('auditLog imports'),
  },
  Mutation: directorate('importFile'),

  // Core: geography, periods, the viewer, the indicator catalogue and the reporting engine's figures.
  Area: everyone(
    'children code earlyYears level name parent send skills statisticalNeighbours troubledFamilies youthJustice',
  ),
  Period: everyone('code end identifier label previous start type'),
  Viewer: everyone('disclosureControl name role services'),
  Indicator: everyone(
    'amberTolerance code decimalPlaces description dimensions fromRecords name periodType polarity series service unit value',
  ),
  IndicatorValue: everyone(
    'area breakdown change ci95 denominator direction gap indicator national neighbourAverage numerator period previous quartile rank source status target value',
  ),
  Figure: everyone('formatted symbol value'),
  Gap: everyone('comparator group national significant smallCohort value'),
  GroupValue: everyone('ci95 code denominator group label numerator value'),
  Interval: everyone('lower upper'),
  Rank: everyone('of position'),
  Target: everyone('kind value'),
  Scorecard: everyone('area period rows'),
  Cohort: everyone('key periodType service title'),
  CohortFigures: everyone('area breakdown cohort overlap period size'),
  Overlap: everyone('count period shareOfOther shareOfThis with'),

  // Access control and ingestion.
  AuditEntry: analysts('at documentHash id keyId operationName recordCount records role services subject variables'),
  AuditRecordCount: analysts('count type'),
  Import: analysts(
    'dryRun errorCount fileName finishedAt format id inserted message ranBy rows sha256 startedAt status unchanged updated',
  ),
  ImportFormat: everyone('columns description exampleCsv name options'),
  ImportColumn: everyone('description name required type'),
  ImportOption: everyone('description name required'),
  ImportReport: directorate(
    'created dryRun errorCount errors fileName format import inserted message rows sha256 skipped status unchanged updated',
  ),
  ImportCreatedCount: directorate('count table'),
  ImportRowError: directorate('column line message value'),

  // Early years.
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

  // SEND.
  Send: records('send', 'assessments'),
  SendArea: everyone('ehcpCount ehcpIssuedWithin20Weeks specialistPlaces specialistPlacesByNeed'),
  // Places (capacity), not children: published by the DfE at this level.
  SpecialistPlacesByNeed: everyone('need places resourced specialSchools'),
  EhcAssessment: records(
    'send',
    'daysToIssue decidedOn district exception id issuedOn issuedWithin20Weeks outcome personId primaryNeed requestedOn',
  ),
  EhcAssessmentPage: records('send', 'nextCursor nodes totalCount'),

  // Skills (participation, NEET, apprenticeships).
  Skills: records('skills', 'apprenticeshipStarts participationHistories participationHistory'),
  SkillsArea: everyone('activityNotKnown apprenticeshipStarts16To18 apprenticeshipStarts16To24 neet'),
  ApprenticeshipStart: records('skills', 'ageAtStart district level personId startedOn'),
  ApprenticeshipStartPage: records('skills', 'nextCursor nodes totalCount'),
  ParticipationHistory: records('skills', 'district months neetMonths personId'),
  ParticipationHistoryPage: records('skills', 'nextCursor nodes totalCount'),
  ParticipationMonth: records('skills', 'academicAge activity month snapshot status'),

  // Youth justice.
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

  // Troubled families. The claims table holds raw counts (no disclosure control): analysts only.
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
