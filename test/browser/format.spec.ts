/** The console's money and time display: exact string arithmetic on minor units, never floats. */
import {
  exponent,
  formatBound,
  formatMoney,
  remaining,
  toDecimal,
  toMinor,
} from '../../src/console/app/format';

/** In en-US, whatever the machine's locale; Intl separates code and amount with a no-break space. */
const money = (currency: string, value: string) =>
  formatMoney({ currency, value }, 'en-US').replace(/\u00a0/g, ' ');

describe('console formatting', () => {
  it('formats minor units by the currency exponent, exactly', () => {
    expect(money('USD', '10050')).toBe('USD 100.50');
    expect(money('JPY', '10050')).toBe('JPY 10,050');
    expect(money('KWD', '5')).toBe('KWD 0.005');
    // Beyond 2^53: a float would round the last digits away.
    expect(money('USD', '9223372036854775807')).toBe('USD 92,233,720,368,547,758.07');
    expect(formatMoney({ currency: 'USD', value: 'abc' })).toBe('USD abc');
  });

  it('reads an operator amount into minor units without floats', () => {
    expect(toMinor('100.5', exponent('USD'))).toBe('10050');
    expect(toMinor('0.07', 2)).toBe('7');
    expect(toMinor('1000', 0)).toBe('1000');
    expect(toMinor('1.234', 2)).toBeUndefined();
    expect(toMinor('1e3', 2)).toBeUndefined();
    expect(toMinor('-1', 2)).toBeUndefined();
    expect(toDecimal('7', 2)).toBe('0.07');
  });

  it('computes what is left with BigInt, never below zero', () => {
    const usd = (value: string) => ({ currency: 'USD', value });
    expect(remaining(usd('9007199254740993'), usd('1'))).toEqual(usd('9007199254740992'));
    expect(remaining(usd('100'), usd('150'))).toEqual(usd('0'));
  });

  it('names bucket bounds roundly', () => {
    expect([1_000, 30_000, 300_000, 3_600_000, 86_400_000, 500].map(formatBound)).toEqual([
      '1 s',
      '30 s',
      '5 min',
      '1 h',
      '1 d',
      '500 ms',
    ]);
  });
});
