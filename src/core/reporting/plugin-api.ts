// What service plugins call to put an engine figure on their own types (e.g. `Area.earlyYears.gld`):
// an IndicatorValue for an enabled indicator at an area in a period, validated like Indicator.value.
// Return it from a field typed `'IndicatorValue'`; every figure is then batched across the request.
import type { BuilderTypes } from '../../builder.js';
import type { Context } from '../../context.js';
import { pluginIndicators } from './catalogue.js';
import { requireArea, requirePeriod } from './graphql/args.js';
import type { IndicatorValueRef } from './indicator-types.js';

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

/** A headline figure on a plugin's Area type: `Area.<service>.<field>(period:)`. */
export interface Headline {
  /** The field's name on the plugin's Area type. */
  field: string;
  /** The enabled indicator the field is a value of. */
  indicatorCode: string;
  description: string;
  /** How this field's `period` argument is described, in place of the one headlineFields is given. */
  periodDescription?: string;
}

/**
 * The IndicatorValue fields of a plugin's Area type (parent `{ areaCode }`), one per headline, each
 * with a `period` argument described by the headline's own text or `period`; spread them into the type's
 * fields beside its own.
 */
export function headlineFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>, { areaCode: string }>,
  headlines: readonly Headline[],
  period = '',
) {
  return Object.fromEntries(
    headlines.map(({ field, indicatorCode, description, periodDescription }) => [
      field,
      t.field({
        type: 'IndicatorValue',
        description: `${description} Indicator ${indicatorCode}.`,
        args: { period: t.arg.string({ required: true, description: periodDescription ?? period }) },
        resolve: (a, args, ctx): Promise<IndicatorValueRef> =>
          indicatorValue(ctx, indicatorCode, a.areaCode, args.period),
      }),
    ]),
  );
}
