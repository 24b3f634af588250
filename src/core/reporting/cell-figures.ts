// The figures of one cell (a total, a breakdown group or a district) as shown: value, numerator,
// denominator and interval, with suppressed, published and unavailable figures as EES symbols.

import type { Cell } from './area-figures.js';
import {
  countFigure,
  type Figure,
  type Interval,
  isProportion,
  symbolFigure,
  valueFigure,
  wilsonInUnit,
} from './engine.js';
import type { IndicatorInfo } from './indicator-types.js';

/** The value as shown: null when unavailable, published as a symbol, or suppressed. */
export function shownValue(indicator: IndicatorInfo, cell: Cell | undefined | null): number | null {
  if (!cell || cell.symbol || cell.value === null) return null;
  if (cell.hiddenNumerator || (indicator.unit !== 'COUNT' && cell.hiddenDenominator)) return null;
  return cell.value;
}

/** The value figure: a number, `c` when suppressed, `x` when unavailable, `z` when there is nothing to divide by. */
export function cellValue(indicator: IndicatorInfo, cell: Cell | undefined | null): Figure {
  if (!cell) return symbolFigure('x');
  if (cell.symbol) return symbolFigure(cell.symbol);
  if (cell.hiddenNumerator || (indicator.unit !== 'COUNT' && cell.hiddenDenominator)) return symbolFigure('c');
  if (cell.value === null) return symbolFigure('z');
  return valueFigure(indicator.unit, indicator.decimalPlaces, cell.value);
}

export function cellNumerator(cell: Cell | undefined | null): Figure | null {
  if (!cell || cell.numerator === null) return null;
  return cell.hiddenNumerator ? symbolFigure('c') : countFigure(cell.numerator);
}

/** The denominator figure; null for COUNT indicators, which have none. */
export function cellDenominator(cell: Cell | undefined | null): Figure | null {
  if (!cell || cell.denominator === null) return null;
  return cell.hiddenDenominator ? symbolFigure('c') : countFigure(cell.denominator);
}

/** Wilson 95% interval in the unit's scale, for proportions whose value is shown. */
export function cellInterval(indicator: IndicatorInfo, cell: Cell | undefined | null): Interval | null {
  if (!cell || shownValue(indicator, cell) === null || !isProportion(indicator.unit)) return null;
  if (cell.numerator === null || cell.denominator === null) return null;
  return wilsonInUnit(indicator.unit, cell.numerator, cell.denominator);
}
