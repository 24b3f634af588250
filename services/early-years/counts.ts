// Early Years record lists whose totals are stored (src/core/records.ts countRecords): EYFS results by
// academic year, home district and good level of development, the list's own filters.
import type { StoredCountDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export const EYFS_RESULTS_COUNT: StoredCountDefinition = {
  key: 'earlyYears.eyfsResults',
  tables: ['EyfsResult'],
  filters: ['gld'],
  sql: Prisma.sql`
    SELECT r."periodCode" AS period_code, p."districtCode" AS district_code, r.gld, COUNT(*)::int AS n
    FROM "EyfsResult" r JOIN "Person" p ON p.id = r."personId"
    GROUP BY r."periodCode", p."districtCode", r.gld`,
};

export const earlyYearsStoredCounts: StoredCountDefinition[] = [EYFS_RESULTS_COUNT];
