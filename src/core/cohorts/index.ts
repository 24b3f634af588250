// Cross-service cohorts (DESIGN.md "Cross-service analysis"): plugins declare named sets of people per
// period; the core lists them, counts them, overlaps any two on person ids in one SQL statement, and
// breaks them down by district and characteristic, all under the reporting engine's disclosure control.
export { type CohortInfo, cohortCatalogue, requireCohort } from './catalogue.js';
export { registerCohorts } from './graphql.js';
