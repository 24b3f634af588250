// Registers the reporting engine's GraphQL: enums, Figure/Interval/Target/Rank, Indicator (+ queries),
// IndicatorValue/GroupValue/Gap and the scorecard. The engine itself is engine.ts (pure arithmetic),
// disclosure.ts (suppression), facts.ts (the grouped statement), values.ts (data path and figures) and
// catalogue.ts (definitions and the Indicator table).
import type { Builder } from '../../builder.js';
import { registerReportingEnums } from './graphql/enums.js';
import { registerFigure } from './graphql/figure.js';
import { registerIndicator } from './graphql/indicator.js';
import { registerIndicatorValue } from './graphql/indicator-value.js';
import { registerScorecard } from './graphql/scorecard.js';

export function registerReporting(builder: Builder) {
  const enums = registerReportingEnums(builder);
  const figure = registerFigure(builder, enums);
  registerIndicator(builder, enums);
  registerIndicatorValue(builder, enums, figure);
  registerScorecard(builder);
}
