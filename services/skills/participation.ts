// GraphQL: a young person's participation history (their monthly records: record level, analysts only),
// one month of it, and a page of histories.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import { academicAge, academicYearOf, monthText, snapshotMonths } from './ages.js';
import type { ParticipationStatus, SkillsEnums } from './enums.js';

export interface MonthRow {
  month: Date;
  status: ParticipationStatus;
  activity: string | null;
}

export interface HistoryRow {
  personId: string;
  districtCode: string | null;
  birthMonth: Date;
  records: MonthRow[];
}

/** A month with the person's birth month, for fields that depend on both. */
interface MonthOfPerson extends MonthRow {
  birthMonth: Date;
}

export function registerParticipation(builder: Builder, enums: SkillsEnums) {
  const ParticipationMonth = builder.objectRef<MonthOfPerson>('ParticipationMonth').implement({
    ...recordLevel('skills'),
    description: 'One young person’s recorded activity in one month. Record level: analysts only.',
    fields: (t) => ({
      month: t.string({ description: 'The month, `YYYY-MM`.', resolve: (m) => monthText(m.month) }),
      status: t.field({ type: enums.status, description: 'EET, NEET or not known.', resolve: (m) => m.status }),
      activity: t.string({
        nullable: true,
        description: 'The NCCIS activity code (e.g. 210 apprenticeship, 540 NEET seeking work), when recorded.',
        resolve: (m) => m.activity,
      }),
      academicAge: t.int({
        description: 'The young person’s age on 31 August before the academic year of this month began.',
        resolve: (m) => academicAge(m.birthMonth, academicYearOf(m.month)),
      }),
      snapshot: t.boolean({
        description:
          'A December, January or February month: one of the three snapshots the NEET headline averages (for academic ages 16 and 17).',
        resolve: (m) => snapshotMonths(academicYearOf(m.month)).some((s) => s.getTime() === m.month.getTime()),
      }),
    }),
  });

  const ParticipationHistory = builder.objectRef<HistoryRow>('ParticipationHistory').implement({
    ...recordLevel('skills'),
    description:
      'A young person’s monthly participation records (NCCIS tracking), oldest first. Record level: analysts only.',
    fields: (t) => ({
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      district: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The home district of the young person; null when unknown.',
        resolve: (_query, h, _args, ctx) => areaByCode(ctx, h.districtCode),
      }),
      months: t.field({
        type: [ParticipationMonth],
        description: 'The monthly records, oldest first (within the period asked for, when one was).',
        resolve: (h) => h.records.map((r) => ({ ...r, birthMonth: h.birthMonth })),
      }),
      neetMonths: t.int({
        description: 'How many of these months the young person was NEET.',
        resolve: (h) => h.records.filter((r) => r.status === 'NEET').length,
      }),
    }),
  });

  const ParticipationHistoryPage = pageType(builder, ParticipationHistory, {
    service: 'skills',
    description: 'A page of participation histories, by person id.',
    nodes: 'The histories on this page, by person id.',
    totalCount: 'Young people matching the filters, on every page.',
  });
  return { ParticipationHistory, ParticipationHistoryPage };
}
