// GraphQL: EarlyHelpCase, one early help case (record level: analysts only), and a page of cases.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import type { TroubledFamiliesEnums } from './enums.js';

export function registerEarlyHelpCase(builder: Builder, enums: TroubledFamiliesEnums) {
  const EarlyHelpCase = builder.prismaObject('EarlyHelpCase', {
    ...recordLevel('troubled-families'),
    description: 'An early help case for a child or young person. Record level: analysts only.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The case identifier.' }),
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      district: t.relation('district', { description: 'The district whose early help unit holds the case.' }),
      family: t.relation('family', {
        nullable: true,
        description: 'The troubled family the case is worked with, if any.',
      }),
      openedOn: t.expose('openedOn', { type: 'Date', description: 'Date opened.' }),
      closedOn: t.expose('closedOn', { type: 'Date', nullable: true, description: 'Date closed; null while open.' }),
      closureReason: t.expose('closureReason', {
        type: enums.closureReason,
        nullable: true,
        description: 'Why the case closed; null while open.',
      }),
      stepDown: t.exposeBoolean('stepDown', {
        description: 'Came as a step-down from specialist children’s services (social care).',
      }),
      intensive: t.exposeBoolean('intensive', { description: 'Intensive unit support rather than open access.' }),
    }),
  });

  const EarlyHelpCasePage = pageType(builder, EarlyHelpCase, {
    service: 'troubled-families',
    description: 'A page of early help cases.',
    nodes: 'The cases on this page, by id.',
    totalCount: 'Cases matching the filters, on every page.',
  });
  return { EarlyHelpCasePage };
}
