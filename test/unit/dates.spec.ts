import {
  checkAuthorizationTime,
  checkDateTime,
  checkStoredDateTime,
  DATE_RULES,
} from '../../src/capture/dates';
import { validateRegistration } from '../../src/capture/registration';
import { registration } from '../support/capture-testing';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('checkDateTime: the format, then the calendar', () => {
  it.each([
    ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00:00.123456789+01:00', '2026-01-31T11:00:00.123Z'],
    ['2026-01-31t12:00:00-0730', '2026-01-31T19:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as the same instant JavaScript would', (text, iso) => {
    const checked = checkDateTime(text);
    expect(checked.ok && checked.date.toISOString()).toBe(iso);
    if (!text.startsWith('0099')) expect(new Date(text).toISOString()).toBe(iso);
  });

  it.each(['2026-02-31T00:00:00Z', '2025-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z'])(
    'refuses %s, a day that does not exist (JavaScript would roll it over)',
    (text) => {
      expect(checkDateTime(text)).toEqual({ ok: false, rule: DATE_RULES.calendar });
    },
  );

  it.each([
    '2026-01-31T24:00:00Z',
    '2026-01-31T12:60:00Z',
    '2026-01-31T12:00:60Z',
    '2026-01-31T12:00:00+24:00',
  ])('refuses %s, a time that does not exist', (text) => {
    expect(checkDateTime(text)).toEqual({ ok: false, rule: DATE_RULES.calendar });
  });

  it.each([
    '2026-01-31',
    '2026-01-31T12:00:00',
    '+275760-09-13T00:00:00Z',
    '12026-01-01T00:00:00Z',
    5,
    null,
    '2026-01-31T12:00:00Z\u0000',
  ])('refuses value #%#, not an ISO 8601 date-time with a zone and a 4-digit year', (value) => {
    expect(checkDateTime(value)).toEqual({ ok: false, rule: DATE_RULES.dateTime });
  });

  it('a stored time is not before 2000-01-01; an authorization time also not 5 minutes ahead', () => {
    expect(checkStoredDateTime('1999-12-31T23:59:59Z')).toEqual({
      ok: false,
      rule: DATE_RULES.notBeforeFloor,
    });
    expect(checkStoredDateTime('2000-01-01T00:00:00Z').ok).toBe(true);
    expect(checkAuthorizationTime('9999-12-31T00:00:00Z', NOW)).toEqual({
      ok: false,
      rule: DATE_RULES.notInFuture,
    });
    expect(checkAuthorizationTime('2026-06-01T12:05:01Z', NOW)).toEqual({
      ok: false,
      rule: DATE_RULES.notInFuture,
    });
    expect(checkAuthorizationTime('2026-06-01T12:04:59Z', NOW).ok).toBe(true);
    expect(checkAuthorizationTime('1970-01-01T00:00:00Z', NOW)).toEqual({
      ok: false,
      rule: DATE_RULES.notBeforeFloor,
    });
  });
});

describe('validateRegistration: the same date rules for hosts that call the service directly', () => {
  it.each([
    ['authorizedAt', '9999-01-01T00:00:00Z', DATE_RULES.notInFuture],
    ['authorizedAt', '2026-02-31T00:00:00Z', DATE_RULES.calendar],
    ['authorizedAt', '1999-01-01T00:00:00Z', DATE_RULES.notBeforeFloor],
    ['authorizedAt', 'yesterday', DATE_RULES.dateTime],
    ['captureAt', '2026-06-31T00:00:00Z', DATE_RULES.calendar],
    ['captureAt', '1999-01-01T00:00:00Z', DATE_RULES.notBeforeFloor],
    // A time without a zone is refused here as it is over HTTP: the stricter rule, everywhere.
    ['authorizedAt', '2026-06-01T11:00:00', DATE_RULES.dateTime],
    ['captureAt', '2026-06-08T00:00:00', DATE_RULES.dateTime],
  ] as const)('%s %s: %s', (field, value, rule) => {
    expect(validateRegistration(registration({ [field]: value }), NOW)).toEqual([{ field, rule }]);
  });

  it('accepts an authorization a moment ago and a capture scheduled for next week', () => {
    const input = registration({
      authorizedAt: '2026-06-01T11:00:00+00:00',
      captureAt: '2026-06-08T00:00:00Z',
    });
    expect(validateRegistration(input, NOW)).toEqual([]);
  });
});
