// Calendar days as the store keeps them: a date column is midnight UTC of its day, so one day is one
// instant whatever the server's time zone. Every service writes and reads dates through these.

/** A date's calendar day, `YYYY-MM-DD` (its UTC day: the store keeps dates at midnight UTC). */
export const iso = (d: Date): string => d.toISOString().slice(0, 10);

/** Midnight UTC of a calendar day: month 1 to 12; the day of the month defaults to the 1st. */
export const utc = (y: number, m: number, d = 1): Date => new Date(Date.UTC(y, m - 1, d));

/** Midnight UTC of a `YYYY-MM-DD` day (no checking: for days the code itself writes; user input goes through dateArg). */
export const parseDay = (ymd: string): Date => new Date(`${ymd}T00:00:00Z`);
