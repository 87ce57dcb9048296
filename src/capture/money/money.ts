/**
 * Money is integer minor units from edge to edge. This file is the one place that knows how
 * many decimals a currency has (ISO 4217) and turns minor units into an acquirer's decimal
 * text and back; nothing else in the code base formats or parses amounts.
 */
/**
 * An amount in a currency's minor units as a digit string ("10000" is USD 100.00). Defined here,
 * with the arithmetic, so that money depends on nothing; the machine's types use this one.
 */
export type MinorUnits = string;

/** Currencies whose ISO 4217 exponent is not 2. Everything else listed in ISO 4217 uses 2. */
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const DIGITS = /^(0|[1-9][0-9]*)$/;
const CURRENCY = /^[A-Z]{3}$/;
/** Stored in a signed 64-bit column on PostgreSQL. */
export const MAX_MINOR_UNITS = 9223372036854775807n;

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && CURRENCY.test(code);
}

export function currencyExponent(currency: string): number {
  if (!isCurrencyCode(currency)) throw new RangeError(`not an ISO 4217 currency code: ${String(currency)}`);
  return EXPONENT_OVERRIDES[currency] ?? 2;
}

/** A positive (or, with allowZero, non-negative) integer in minor units that fits in 64 bits. */
export function isMinorUnits(value: unknown, allowZero = false): value is MinorUnits {
  if (typeof value !== 'string' || !DIGITS.test(value) || value.length > 19) return false;
  const n = BigInt(value);
  return n <= MAX_MINOR_UNITS && (allowZero || n > 0n);
}

export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  return (BigInt(a) + BigInt(b)).toString();
}

export function compareMinor(a: MinorUnits, b: MinorUnits): -1 | 0 | 1 {
  const d = BigInt(a) - BigInt(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** "12345" JPY -> "12345"; "12345" USD -> "123.45"; "5" KWD -> "0.005". */
export function minorToDecimal(value: MinorUnits, currency: string): string {
  const exp = currencyExponent(currency);
  if (!isMinorUnits(value, true)) throw new RangeError(`not an amount in minor units: ${String(value)}`);
  if (exp === 0) return value;
  const padded = value.padStart(exp + 1, '0');
  return `${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

/** The inverse of minorToDecimal; refuses more decimals than the currency has, never rounds. */
export function decimalToMinor(text: string, currency: string): MinorUnits {
  const exp = currencyExponent(currency);
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${text}`);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exp) {
    throw new RangeError(`${text} has more decimals than ${currency} allows (${exp})`);
  }
  const minor = BigInt(m[1] + fraction.padEnd(exp, '0'));
  if (minor > MAX_MINOR_UNITS) throw new RangeError(`${text} ${currency} is beyond what an order can hold`);
  return minor.toString();
}
