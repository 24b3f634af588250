// What service plugins call to put an engine figure on their own types (e.g. `Area.earlyYears.gld`):
// an IndicatorValue for an enabled indicator at an area in a period, validated like Indicator.value.
// Return it from a field typed `'IndicatorValue'`; every figure is then batched across the request.
import type { Context } from '../../context.js';
import { pluginIndicators } from './catalogue.js';
import { requireArea, requirePeriod } from './graphql/args.js';
import type { IndicatorValueRef } from './values.js';

export async function indicatorValue(
  ctx: Context,
  indicatorCode: string,
  areaCode: string,
  periodCode: string,
  periodArgument = 'period',
): Promise<IndicatorValueRef> {
  const indicator = pluginIndicators(ctx.services).find((d) => d.code === indicatorCode);
  if (!indicator) throw new Error(`Indicator ${indicatorCode} is not defined by an enabled service`);
  const [area, period] = await Promise.all([
    requireArea(ctx, areaCode, 'area'),
    requirePeriod(ctx, periodCode, periodArgument, indicator),
  ]);
  return { indicator, areaCode: area.code, periodCode: period.code };
}
