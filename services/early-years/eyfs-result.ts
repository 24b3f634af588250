// GraphQL: EyfsResult, one child's EYFS profile result (record level: analysts only), and a page of them.
import type { Builder } from '../../src/builder.js';
import { recordLevel } from '../../src/core/access/index.js';
import { pageType } from '../../src/core/paging.js';
import { areaByCode } from '../../src/core/records.js';
import { periodDirectory } from '../../src/core/reporting/directories.js';

export interface EyfsResultRow {
  personId: string;
  periodCode: string;
  gld: boolean;
  totalPoints: number | null;
  districtCode: string | null;
}

export function registerEyfsResult(builder: Builder) {
  const EyfsResult = builder.objectRef<EyfsResultRow>('EyfsResult').implement({
    ...recordLevel('early-years'),
    description:
      'One child’s Early Years Foundation Stage Profile result at the end of Reception. Record level: analysts only.',
    fields: (t) => ({
      personId: t.exposeString('personId', { description: 'Pseudonymous person id.' }),
      period: t.prismaField({
        type: 'Period',
        description: 'The academic year of the assessment.',
        resolve: async (_query, r, _args, ctx) => {
          const period = (await periodDirectory(ctx)).byCode.get(r.periodCode);
          if (!period) throw new Error(`Period ${r.periodCode} of an EYFS result is not in the store`);
          return period;
        },
      }),
      goodLevelOfDevelopment: t.exposeBoolean('gld', {
        description: 'At least the expected level in the prime areas, literacy and mathematics.',
      }),
      totalPoints: t.exposeInt('totalPoints', {
        nullable: true,
        description: 'Total points over the 17 early learning goals (17 to 51); null when not reported.',
      }),
      district: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The child’s home district; null when unknown.',
        resolve: (_query, r, _args, ctx) => areaByCode(ctx, r.districtCode),
      }),
    }),
  });

  const EyfsResultPage = pageType(builder, EyfsResult, {
    service: 'early-years',
    description: 'A page of EYFS profile results.',
    nodes: 'The results on this page, by year then person id.',
    totalCount: 'Results matching the filters, on every page.',
  });
  return { EyfsResultPage };
}
