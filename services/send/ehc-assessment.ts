// GraphQL: EhcAssessment, one EHC needs assessment (record level: analysts only), and a page of them.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import type { SendEnums } from './enums.js';
import { TWENTY_WEEKS_IN_DAYS } from './indicators.js';

export interface AssessmentRow {
  id: string;
  personId: string;
  districtCode: string | null;
  requestedOn: Date;
  decidedOn: Date | null;
  issuedOn: Date | null;
  outcome: 'ISSUED' | 'NOT_ISSUED' | 'IN_PROGRESS' | 'WITHDRAWN';
  primaryNeed: 'ASD' | 'SLCN' | 'SEMH' | 'MLD' | 'SLD' | 'PMLD' | 'SPLD' | 'HI' | 'VI' | 'MSI' | 'PD' | 'OTH' | null;
  exception: boolean;
}

const daysBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 86_400_000);

export function registerEhcAssessment(builder: Builder, enums: SendEnums) {
  const EhcAssessment = builder.objectRef<AssessmentRow>('EhcAssessment').implement({
    ...recordLevel('send'),
    description:
      'An Education, Health and Care needs assessment, from request to final plan. Record level: analysts only.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The council’s assessment (case) identifier.' }),
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      district: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The home district of the child or young person; null when unknown.',
        resolve: (_query, a, _args, ctx) => areaByCode(ctx, a.districtCode),
      }),
      requestedOn: t.field({
        type: 'Date',
        description: 'Date the request was received.',
        resolve: (a) => a.requestedOn,
      }),
      decidedOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'Date the council decided whether to issue a plan (or not to assess); null before a decision.',
        resolve: (a) => a.decidedOn,
      }),
      issuedOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'Date the final plan was issued; null unless the outcome is ISSUED.',
        resolve: (a) => a.issuedOn,
      }),
      outcome: t.field({
        type: enums.outcome,
        description: 'Where the assessment ended up.',
        resolve: (a) => a.outcome,
      }),
      primaryNeed: t.field({
        type: enums.need,
        nullable: true,
        description: 'Primary type of need, when recorded.',
        resolve: (a) => a.primaryNeed,
      }),
      exception: t.exposeBoolean('exception', {
        description: 'A statutory exception to the 20-week timescale applies (excluded from the 20-week measure).',
      }),
      daysToIssue: t.int({
        nullable: true,
        description: 'Days from the request to the final plan; null unless issued.',
        resolve: (a) => (a.issuedOn ? daysBetween(a.requestedOn, a.issuedOn) : null),
      }),
      issuedWithin20Weeks: t.boolean({
        nullable: true,
        description: `Issued at most ${TWENTY_WEEKS_IN_DAYS} days (20 weeks) after the request; null unless issued.`,
        resolve: (a) => (a.issuedOn ? daysBetween(a.requestedOn, a.issuedOn) <= TWENTY_WEEKS_IN_DAYS : null),
      }),
    }),
  });

  const EhcAssessmentPage = pageType(builder, EhcAssessment, {
    service: 'send',
    description: 'A page of EHC needs assessments.',
    nodes: 'The assessments on this page, by id.',
    totalCount: 'Assessments matching the filters, on every page.',
  });
  return { EhcAssessmentPage };
}
