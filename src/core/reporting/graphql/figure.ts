// GraphQL: Figure (a number or an EES symbol, never a magic number), Interval, Target and Rank.
import type { Builder } from '../../../builder.js';
import type { Target as TargetRow } from '../../../generated/prisma/client.js';
import type { Interval as IntervalShape } from '../engine.js';
import type { ReportingEnums } from './enums.js';

export function registerFigure(builder: Builder, enums: ReportingEnums) {
  builder.objectType('Figure', {
    description:
      'A reported figure. Exactly one of `value` and `symbol` is set. `value` is never rounded; `formatted` is the display string (`74.8%`, `1,304`, `c`).',
    fields: (t) => ({
      value: t.float({
        nullable: true,
        description: 'The number, unrounded; null when the figure is a symbol.',
        resolve: (f) => f.value,
      }),
      symbol: t.string({
        nullable: true,
        description:
          'EES symbol when there is no number: `c` confidential (suppressed), `x` unavailable, `z` not applicable, `low` rounds to zero (legacy `k`), `u` low reliability.',
        resolve: (f) => f.symbol,
      }),
      formatted: t.string({
        nullable: true,
        description: 'Display string at the indicator’s decimal places: `74.8%`, `1,304`, `12.3 pp`, or the symbol.',
        resolve: (f) => f.formatted,
      }),
    }),
  });

  const Interval = builder.objectRef<IntervalShape>('Interval').implement({
    description: '95% confidence interval (Wilson score, z = 1.959964) in the indicator’s unit, unrounded.',
    fields: (t) => ({
      lower: t.float({ description: 'Lower bound.', resolve: (i) => i.lower }),
      upper: t.float({ description: 'Upper bound.', resolve: (i) => i.upper }),
    }),
  });

  const Target = builder.objectRef<TargetRow>('Target').implement({
    description: 'A target set for the indicator in this area and period.',
    fields: (t) => ({
      kind: t.field({ type: enums.TargetKind, description: 'Kind of target.', resolve: (r) => r.kind }),
      value: t.float({ description: 'Target value in the indicator’s unit.', resolve: (r) => r.value }),
    }),
  });

  const Rank = builder.objectRef<{ position: number; of: number }>('Rank').implement({
    description:
      'Position among the local authority and its statistical neighbours; 1 = best; ties share the better rank.',
    fields: (t) => ({
      position: t.int({ description: 'Rank, 1 = best by polarity.', resolve: (r) => r.position }),
      of: t.int({
        description: 'How many authorities were ranked (this one and its neighbours with a figure).',
        resolve: (r) => r.of,
      }),
    }),
  });

  return { Interval, Target, Rank };
}

export type FigureRefs = ReturnType<typeof registerFigure>;
