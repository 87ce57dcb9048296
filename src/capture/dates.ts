/**
 * The one definition of a date-time the service accepts, wherever it comes from (API bodies,
 * admin filters, cursors, acquirer times that feed a deadline). JavaScript's Date parser rolls
 * impossible fields over (2026-02-31 becomes March 3) and takes any 4-digit year, so the fields
 * are checked here before they become an instant; a value is refused rather than reinterpreted.
 */

export const DATE_RULES = {
  dateTime: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z',
  calendar: 'must be a real calendar date and time (no 2026-02-31, no 24:00)',
  notBeforeFloor: 'must not be before 2000-01-01T00:00:00Z',
  notInFuture: 'must not be more than 5 minutes in the future',
} as const;

/** Nothing this service tracks was authorized before this; earlier values are typos. */
const DATE_FLOOR = new Date('2000-01-01T00:00:00Z');

/** How far ahead of our clock an authorization time may be (the caller's clock may run fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export type DateCheck = { ok: true; date: Date } | { ok: false; rule: string };

/** Parses the format, then checks that every calendar field exists as written. */
export function checkDateTime(value: unknown): DateCheck {
  if (typeof value !== 'string') return { ok: false, rule: DATE_RULES.dateTime };
  const m = ISO.exec(value);
  if (!m) return { ok: false, rule: DATE_RULES.dateTime };
  // The pattern's first five groups are required.
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? '0');
  const millis = Number((m[7] ?? '.').slice(1).padEnd(3, '0').slice(0, 3));
  const offsetH = m[8] ? 0 : Number(m[10]);
  const offsetM = m[8] ? 0 : Number(m[11]);
  if (hour > 23 || minute > 59 || second > 59 || offsetH > 23 || offsetM > 59) {
    return { ok: false, rule: DATE_RULES.calendar };
  }
  // setUTCFullYear: Date.UTC would read the years 0-99 as 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) {
    return { ok: false, rule: DATE_RULES.calendar };
  }
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMs = sign * (offsetH * 60 + offsetM) * 60_000;
  const time = local.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMs;
  return { ok: true, date: new Date(time) };
}

/** A date-time that is also a plausible instant to store: not before DATE_FLOOR. */
export function checkStoredDateTime(value: unknown): DateCheck {
  const checked = checkDateTime(value);
  if (checked.ok && checked.date.getTime() < DATE_FLOOR.getTime()) {
    return { ok: false, rule: DATE_RULES.notBeforeFloor };
  }
  return checked;
}

/**
 * When a payment was authorized: the capture deadline and every inquiry count from it, so a
 * time in the future (beyond clock skew) or before the floor would schedule nonsense.
 */
export function checkAuthorizationTime(value: unknown, now: Date): DateCheck {
  const checked = checkStoredDateTime(value);
  if (checked.ok && checked.date.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return { ok: false, rule: DATE_RULES.notInFuture };
  }
  return checked;
}
