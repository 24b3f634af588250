// The errors of one import run: every one counted, the first MAX_ERROR_DETAILS kept with their details.
import type { RowError } from './types.js';

/** At most this many errors are kept with their details; all are counted. */
export const MAX_ERROR_DETAILS = 10_000;

export class RowErrors {
  readonly details: RowError[] = [];
  count = 0;

  add(e: RowError): void {
    this.count++;
    if (this.details.length < MAX_ERROR_DETAILS) this.details.push(e);
  }

  /** The report's fields: the kept errors and the count. */
  get report(): { errors: RowError[]; errorCount: number } {
    return { errors: this.details, errorCount: this.count };
  }
}
