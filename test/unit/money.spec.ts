/**
 * money.ts: the one place that knows currency exponents and converts between minor units and
 * an acquirer's decimal text. Exact both ways, never rounds, refuses what it cannot represent.
 */
import fc from 'fast-check';
import {
  addMinor,
  compareMinor,
  currencyExponent,
  decimalToMinor,
  isMinorUnits,
  MAX_MINOR_UNITS,
  minorToDecimal,
} from '../../src/capture/money/money';

const MAX = MAX_MINOR_UNITS.toString();
const CURRENCIES = ['JPY', 'KRW', 'USD', 'BRL', 'EUR', 'KWD', 'BHD', 'TND', 'CLF'];
const minorArb = fc.oneof(
  fc.bigInt(0n, 100_000n),
  fc.bigInt(0n, MAX_MINOR_UNITS),
  fc.bigInt(MAX_MINOR_UNITS - 1000n, MAX_MINOR_UNITS),
);

/** Decimal text as an acquirer writes it: up to the currency's decimals, maybe zero-padded. */
const decimalArb = fc.constantFrom(...CURRENCIES).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    whole: fc.bigInt(0n, 10n ** 15n),
    fraction: fc
      .array(fc.constantFrom(...'0123456789'), { maxLength: currencyExponent(currency) })
      .map((digits) => digits.join('')),
    zeros: fc.nat(2),
  }),
);

describe('currency exponents (ISO 4217)', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['USD', 2],
    ['BRL', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['XYZ', 2],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['usd', 'US', 'USDT', '', '12A'])('%p is not a currency code', (code) => {
    expect(() => currencyExponent(code)).toThrow(RangeError);
  });
});

describe('minorToDecimal / decimalToMinor', () => {
  it.each([
    ['12345', 'JPY', '12345'],
    ['12345', 'USD', '123.45'],
    ['5', 'USD', '0.05'],
    ['0', 'USD', '0.00'],
    ['5', 'KWD', '0.005'],
    ['1234567', 'BHD', '1234.567'],
    ['10000', 'CLF', '1.0000'],
    [MAX, 'USD', '92233720368547758.07'],
    [MAX, 'JPY', MAX],
  ])('%s %s <-> %s', (minor, currency, decimal) => {
    expect(minorToDecimal(minor, currency)).toBe(decimal);
    expect(decimalToMinor(decimal, currency)).toBe(minor);
  });

  it('round-trips every amount up to 2^63-1 in every exponent', () => {
    fc.assert(
      fc.property(minorArb, fc.constantFrom(...CURRENCIES), (v, currency) => {
        const decimal = minorToDecimal(v.toString(), currency);
        const exp = currencyExponent(currency);
        expect(decimal.split('.')[1]?.length ?? 0).toBe(exp);
        expect(decimalToMinor(decimal, currency)).toBe(v.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('reads any decimal text with at most the currency decimals exactly (trailing zeros allowed)', () => {
    fc.assert(
      fc.property(decimalArb, ({ currency, whole, fraction, zeros }) => {
        const exp = currencyExponent(currency);
        const text = fraction || zeros ? `${whole}.${fraction}${'0'.repeat(zeros)}` : `${whole}`;
        const expected = whole * 10n ** BigInt(exp) + BigInt(fraction.padEnd(exp, '0') || '0');
        if (expected > BigInt(MAX)) expect(() => decimalToMinor(text, currency)).toThrow(RangeError);
        else expect(decimalToMinor(text, currency)).toBe(expected.toString());
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['0.5', 'JPY'],
    ['1.001', 'USD'],
    ['0.0001', 'KWD'],
    ['1.00001', 'CLF'],
  ])('%s %s: more decimals than the currency has is refused, never rounded', (text, currency) => {
    expect(() => decimalToMinor(text, currency)).toThrow(/more decimals/);
  });

  it.each([
    '-1',
    '-0.01',
    '1e3',
    '1E-2',
    '.5',
    '5.',
    '+5',
    '1,00',
    '12.3.4',
    '',
    ' ',
    'NaN',
    'Infinity',
    '0x10',
    '１',
  ])('%p is not a decimal amount', (text) => {
    expect(() => decimalToMinor(text, 'USD')).toThrow(RangeError);
  });

  it('surrounding whitespace is tolerated; leading zeros do not change the value', () => {
    expect(decimalToMinor(' 12.30 ', 'USD')).toBe('1230');
    expect(decimalToMinor('007.00', 'USD')).toBe('700');
  });

  it.each(['-1', '1.5', '01', '', 'abc', (MAX_MINOR_UNITS + 1n).toString(), '99999999999999999999'])(
    'minorToDecimal refuses %p (not minor units, or beyond 64 bits)',
    (value) => {
      expect(() => minorToDecimal(value, 'USD')).toThrow(RangeError);
    },
  );

  it('minorToDecimal refuses numbers: amounts travel as digit strings', () => {
    expect(() => minorToDecimal(12.5 as unknown as string, 'USD')).toThrow(RangeError);
    expect(() => minorToDecimal(1250 as unknown as string, 'USD')).toThrow(RangeError);
  });

  it('a decimal beyond 64 bits is refused, one unit past the largest amount', () => {
    expect(decimalToMinor('92233720368547758.07', 'USD')).toBe(MAX);
    expect(() => decimalToMinor('92233720368547758.08', 'USD')).toThrow(/beyond/);
  });
});

describe('isMinorUnits, addMinor, compareMinor', () => {
  it.each([
    ['1', false, true],
    ['0', false, false],
    ['0', true, true],
    [MAX, false, true],
    [(MAX_MINOR_UNITS + 1n).toString(), false, false],
    ['00', true, false],
    ['01', false, false],
    ['-1', false, false],
    ['1.0', false, false],
    [' 1', false, false],
    ['1e3', false, false],
    ['', true, false],
  ])('isMinorUnits(%p, allowZero=%p) is %p', (value, allowZero, expected) => {
    expect(isMinorUnits(value, allowZero)).toBe(expected);
  });

  it.each([1, 1n, null, undefined, {}, ['1']])('isMinorUnits(%p) is false: only digit strings', (value) => {
    expect(isMinorUnits(value, true)).toBe(false);
  });

  it('adds and compares exactly near 2^63-1, where a float would round', () => {
    expect(addMinor('9223372036854775000', '807')).toBe(MAX);
    expect(compareMinor(MAX, '9223372036854775806')).toBe(1);
    expect(compareMinor('9223372036854775806', MAX)).toBe(-1);
    expect(compareMinor(MAX, MAX)).toBe(0);
    fc.assert(
      fc.property(minorArb, minorArb, (a, b) => {
        expect(addMinor(a.toString(), b.toString())).toBe((a + b).toString());
        expect(compareMinor(a.toString(), b.toString())).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
    );
  });
});
