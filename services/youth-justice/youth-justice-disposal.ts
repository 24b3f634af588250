// GraphQL: YouthJusticeDisposal, one proven offence and its disposal (record level: analysts only), and a
// page of them.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import { type DisposalType, isCourt, isSubstantive, type Tier } from './disposal-types.js';
import type { YouthJusticeEnums } from './enums.js';

export interface DisposalRow {
  id: string;
  personId: string;
  districtCode: string | null;
  offenceOn: Date;
  disposedOn: Date;
  tier: Tier;
  disposalType: DisposalType;
}

export function registerDisposal(builder: Builder, enums: YouthJusticeEnums) {
  const YouthJusticeDisposal = builder.objectRef<DisposalRow>('YouthJusticeDisposal').implement({
    ...recordLevel('youth-justice'),
    description:
      'A proven offence of a child or young person and the disposal it received. Record level: analysts only.',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The youth justice case system’s disposal identifier.' }),
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      district: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The home district of the child or young person; null when unknown.',
        resolve: (_query, d, _args, ctx) => areaByCode(ctx, d.districtCode),
      }),
      offenceOn: t.field({ type: 'Date', description: 'Date the offence was committed.', resolve: (d) => d.offenceOn }),
      disposedOn: t.field({
        type: 'Date',
        description: 'Date of the disposal (the caution, or the sentence).',
        resolve: (d) => d.disposedOn,
      }),
      tier: t.field({ type: enums.tier, description: 'Tier of the disposal.', resolve: (d) => d.tier }),
      disposalType: t.field({
        type: enums.disposalType,
        description: 'The disposal given.',
        resolve: (d) => d.disposalType,
      }),
      substantive: t.boolean({
        description: 'A substantive outcome (anything but a community resolution): counts for first-time entry.',
        resolve: (d) => isSubstantive(d.disposalType),
      }),
      court: t.boolean({
        description: 'Given by a court (FIRST_TIER, COMMUNITY or CUSTODY): counts in the custody share.',
        resolve: (d) => isCourt(d.tier),
      }),
    }),
  });

  const YouthJusticeDisposalPage = pageType(builder, YouthJusticeDisposal, {
    service: 'youth-justice',
    description: 'A page of youth justice disposals.',
    nodes: 'The disposals on this page, by disposal date then id.',
    totalCount: 'Disposals matching the filters, on every page.',
  });
  return { YouthJusticeDisposalPage };
}
