// Argument checks shared by the reporting fields: unknown areas, malformed or unstored periods and periods
// of the wrong type are typed GraphQL errors naming the argument.
import type { Context } from '../../../context.js';
import type { Period } from '../../../generated/prisma/client.js';
import { UserInputError } from '../../errors.js';
import { PeriodError, parsePeriod } from '../../period-codes.js';
import { type AreaRecord, areaDirectory, periodDirectory } from '../directories.js';
import type { IndicatorInfo } from '../indicator-types.js';

export async function requireArea(ctx: Context, code: string, argument: string): Promise<AreaRecord> {
  const area = (await areaDirectory(ctx)).byCode.get(code.trim());
  if (!area)
    throw new UserInputError(`No area has the code "${code}" (expected an ONS code such as E10000016)`, argument);
  return area;
}

/** A stored period, optionally required to be of the indicator's period type. */
export async function requirePeriod(
  ctx: Context,
  code: string,
  argument: string,
  indicator?: IndicatorInfo,
): Promise<Period> {
  let normalised: string;
  try {
    const p = parsePeriod(code);
    normalised = p.code;
    if (indicator && p.type !== indicator.periodType) {
      throw new UserInputError(
        `${indicator.code} is reported by ${indicator.periodType}; "${code}" is a ${p.type} period`,
        argument,
      );
    }
  } catch (e) {
    if (e instanceof PeriodError) throw new UserInputError(e.message, argument);
    throw e;
  }
  const period = (await periodDirectory(ctx)).byCode.get(normalised);
  if (!period) throw new UserInputError(`The store has no period "${normalised}"`, argument);
  return period;
}
