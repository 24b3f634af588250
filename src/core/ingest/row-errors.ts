// The errors of one import run: every one counted, the first MAX_ERROR_DETAILS kept with their details.
import type { RowError } from './types.js';

/** At most this many errors are kept with their details; all are counted. */
export const MAX_ERROR_DETAILS = 10_000;
/** Characters of a value kept in an error. */
export const MAX_VALUE_CHARS = 200;

export class RowErrors {
  readonly details: RowError[] = [];
  count = 0;

  add(e: RowError): void {
    this.count++;
    if (this.details.length >= MAX_ERROR_DETAILS) return;
    // The value is shown to say what was found: a long one (a whole line, a huge field) is cut short.
    this.details.push(e.value.length > MAX_VALUE_CHARS ? { ...e, value: `${e.value.slice(0, MAX_VALUE_CHARS)}…` } : e);
  }

  /** The report's fields: the kept errors and the count. */
  get report(): { errors: RowError[]; errorCount: number } {
    return { errors: this.details, errorCount: this.count };
  }
}
