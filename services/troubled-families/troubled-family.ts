// GraphQL: the record-level troubled families types (analysts only): TroubledFamily with its members and
// payment-by-results claims, and a page of families.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import type { TroubledFamiliesEnums } from './enums.js';

export function registerTroubledFamily(builder: Builder, enums: TroubledFamiliesEnums) {
  builder.prismaObject('TroubledFamilyMember', {
    ...recordLevel('troubled-families'),
    description: 'A person in a troubled family. Record level: analysts only.',
    fields: (t) => ({
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      role: t.expose('role', { type: enums.role, description: 'ADULT or CHILD.' }),
    }),
  });

  builder.prismaObject('PbrClaim', {
    ...recordLevel('troubled-families'),
    description: 'A payment-by-results claim for a family. Record level: analysts only.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The claim’s identifier.' }),
      window: t.exposeString('window', { description: 'Claim window label, e.g. `JAN 17`.' }),
      submittedOn: t.expose('submittedOn', { type: 'Date', description: 'Date submitted.' }),
      outcome: t.expose('outcome', { type: enums.outcome, description: 'What the claim is for.' }),
      status: t.expose('status', { type: enums.status, description: 'Where it is in its audit.' }),
      counts: t.boolean({
        description: 'Whether the claim counts towards TF_CLAIMS (every status but REJECTED).',
        select: { status: true },
        resolve: (c) => c.status !== 'REJECTED',
      }),
    }),
  });

  const TroubledFamily = builder.prismaObject('TroubledFamily', {
    ...recordLevel('troubled-families'),
    description: 'A family on the Troubled Families programme. Record level: analysts only.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The council’s pseudonymous family identifier.' }),
      district: t.relation('district', { description: 'The district the family was attached in.' }),
      attachedOn: t.expose('attachedOn', { type: 'Date', description: 'Date attached to the programme.' }),
      criteria: t.expose('criteria', {
        type: [enums.criterion],
        description: 'The national headline criteria the family met when attached.',
      }),
      members: t.relation('members', {
        description: 'Members known to the directorate, children first.',
        query: { orderBy: [{ role: 'desc' }, { personId: 'asc' }] },
      }),
      claims: t.relation('claims', {
        description: 'Payment-by-results claims for the family, oldest first.',
        query: { orderBy: [{ submittedOn: 'asc' }, { id: 'asc' }] },
      }),
    }),
  });

  const TroubledFamilyPage = pageType(builder, TroubledFamily, {
    service: 'troubled-families',
    description: 'A page of troubled families.',
    nodes: 'The families on this page, by id.',
    totalCount: 'Families matching the filters, on every page.',
  });
  return { TroubledFamilyPage };
}
