// Troubled Families and Early Help cohorts for cross-service analysis: who was in a family on the
// programme, who was claimed for, who had early help. Each returns distinct person ids for a period.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export const troubledFamiliesCohorts: CohortDefinition[] = [
  {
    key: 'troubledFamilies.attached',
    title: 'Members of families attached to the Troubled Families programme in the period',
    periodType: 'FINANCIAL_YEAR',
    tables: ['TroubledFamilyMember', 'TroubledFamily'],
    members: (period) => {
      const { start, end } = periodBounds(period);
      return Prisma.sql`
        SELECT DISTINCT m."personId" AS person_id
        FROM "TroubledFamilyMember" m JOIN "TroubledFamily" f ON f.id = m."familyId"
        WHERE f."attachedOn" BETWEEN ${start} AND ${end}`;
    },
  },
  {
    key: 'troubledFamilies.onProgramme',
    title:
      'Members of families on the Troubled Families programme at any time in the period: attached by its end, and not claimed for (successfully) before it began',
    periodType: 'FINANCIAL_YEAR',
    tables: ['TroubledFamilyMember', 'TroubledFamily', 'PbrClaim'],
    members: (period) => {
      const { start, end } = periodBounds(period);
      return Prisma.sql`
        SELECT DISTINCT m."personId" AS person_id
        FROM "TroubledFamilyMember" m JOIN "TroubledFamily" f ON f.id = m."familyId"
        WHERE f."attachedOn" <= ${end}
          AND NOT EXISTS (
            SELECT 1 FROM "PbrClaim" c
            WHERE c."familyId" = f.id AND c.status <> 'REJECTED' AND c."submittedOn" < ${start}
          )`;
    },
  },
  {
    key: 'troubledFamilies.claimed',
    title: 'Members of families with a valid payment-by-results claim submitted in the period',
    periodType: 'FINANCIAL_YEAR',
    tables: ['TroubledFamilyMember', 'PbrClaim'],
    members: (period) => {
      const { start, end } = periodBounds(period);
      return Prisma.sql`
        SELECT DISTINCT m."personId" AS person_id
        FROM "TroubledFamilyMember" m JOIN "PbrClaim" c ON c."familyId" = m."familyId"
        WHERE c.status <> 'REJECTED' AND c."submittedOn" BETWEEN ${start} AND ${end}`;
    },
  },
  {
    key: 'troubledFamilies.earlyHelp',
    title: 'Children and young people with an early help case open at any time in the period',
    periodType: 'FINANCIAL_YEAR',
    tables: ['EarlyHelpCase'],
    members: (period) => {
      const { start, end } = periodBounds(period);
      return Prisma.sql`
        SELECT DISTINCT e."personId" AS person_id
        FROM "EarlyHelpCase" e
        WHERE e."openedOn" <= ${end} AND (e."closedOn" IS NULL OR e."closedOn" >= ${start})`;
    },
  },
  {
    key: 'troubledFamilies.steppedDown',
    title: 'Children and young people stepped down from social care to early help in the period',
    periodType: 'FINANCIAL_YEAR',
    tables: ['EarlyHelpCase'],
    members: (period) => {
      const { start, end } = periodBounds(period);
      return Prisma.sql`
        SELECT DISTINCT e."personId" AS person_id
        FROM "EarlyHelpCase" e
        WHERE e."stepDown" AND e."openedOn" BETWEEN ${start} AND ${end}`;
    },
  },
];
