// The reading pilot: a small service plugin that lives under test/ and proves the plugin contract end to
// end: its own table (pilot.prisma / pilot.sql), a GraphQL type, a field on Area, indicators computed by
// the reporting engine from its facts SQL, a cohort and a deterministic seed. Pass it to
// testApp(db, { services: [readingPilot] }) after creating the database with pilotSql().
import fs from 'node:fs';
import path from 'node:path';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { pilotCohorts, pilotIndicators } from './indicators.js';
import { registerReadingPilot } from './reading-pilot.js';
import { seedReadingPilot } from './seed.js';

export const PILOT_SCHEMA_FILE = path.join(import.meta.dirname, 'pilot.prisma');
export const PILOT_SQL_FILE = path.join(import.meta.dirname, 'pilot.sql');

/** The CREATE TABLE for the pilot's table (checked against the migration diff by a test). */
export function pilotSql(): string {
  return fs.readFileSync(PILOT_SQL_FILE, 'utf8');
}

export const readingPilot: ServicePlugin = {
  key: 'readingPilot',
  slug: 'reading-pilot',
  title: 'Reading pilot',
  register: registerReadingPilot,
  indicators: pilotIndicators,
  cohorts: pilotCohorts,
  importers: [],
  seed: async (tx, rng) => {
    await seedReadingPilot(tx, rng);
  },
};
