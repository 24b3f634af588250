// Registers the reporting engine's GraphQL: enums, Figure/Interval/Target/Rank, Indicator (+ queries),
// IndicatorValue/GroupValue/Gap and the scorecard. The engine itself is engine.ts (pure arithmetic),
// disclosure.ts (suppression), facts.ts (the grouped statement), catalogue.ts (definitions and the Indicator
// table) and the data path: directories.ts (areas and periods), replica-routing.ts (primary or replica),
// period-loaders.ts (facts, observations, targets), area-figures.ts (an area's cells), cell-figures.ts (a
// cell as shown) and value-fields.ts (the fields of an IndicatorValue).
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
