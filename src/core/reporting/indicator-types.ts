// What the GraphQL Indicator and IndicatorValue objects are (the builder's `Objects`, which plugins name as
// strings). Type-only, so the builder's types import no engine code.
import type { IndicatorDefinition } from './types.js';

/** A catalogue entry: a definition and the service it belongs to (plugin key, or the row's `service`). */
export interface IndicatorInfo extends IndicatorDefinition {
  service: string;
}

/** What a GraphQL IndicatorValue is: an indicator at an area in a period; every figure is derived lazily. */
export interface IndicatorValueRef {
  indicator: IndicatorInfo;
  areaCode: string;
  periodCode: string;
}
