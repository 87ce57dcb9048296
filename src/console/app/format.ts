/** Display rules: money from minor units without floats, times in the browser's zone, states. */
export interface Money {
  currency: string;
  value: string;
}

/** The currency's minor-unit exponent, from the browser's ISO 4217 data (2 when unknown). */
export function exponent(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "12345" minor units of USD -> "123.45": string arithmetic only. */
export function toDecimal(value: string, digits: number): string {
  if (digits === 0) return value;
  const padded = value.padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** "123.4" USD -> "12340"; undefined when it is not a plain decimal with at most `digits` decimals. */
export function toMinor(text: string, digits: number): string | undefined {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] ?? '').length > digits) return undefined;
  const minor = `${m[1]}${(m[2] ?? '').padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  return minor;
}

/** `locale`: the browser's by default. */
export function formatMoney(m: Money | null | undefined, locale?: string): string {
  if (!m) return '-';
  if (!/^\d+$/.test(m.value)) return `${m.currency} ${m.value}`;
  const digits = exponent(m.currency);
  const decimal = toDecimal(m.value, digits);
  try {
    // Intl formats a decimal string exactly (no conversion to a float on the way).
    const nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      currencyDisplay: 'code',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return nf.format(decimal as unknown as number);
  } catch {
    return `${m.currency} ${decimal}`;
  }
}

/** Authorized minus captured, in minor units (BigInt: amounts may exceed 2^53). */
export function remaining(authorized: Money, captured: Money): Money {
  const left = BigInt(authorized.value) - BigInt(captured.value);
  return { currency: authorized.currency, value: (left > 0n ? left : 0n).toString() };
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** 3725000 -> "1h 02m 05s"; days when longer. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${hh}h ${two(mm)}m`;
  if (hh > 0) return `${hh}h ${two(mm)}m ${two(ss)}s`;
  return `${mm}m ${two(ss)}s`;
}

/** 850 -> "850 ms", 4200 -> "4.2 s", 90000 -> "1m 30s". */
export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return formatDuration(ms);
}

/** A round bucket bound: 1000 -> "1 s", 300000 -> "5 min", 3600000 -> "1 h". */
export function formatBound(ms: number): string {
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Known states get a phrase; a state this console does not know yet shows under its own name. */
const STATE_LABELS: Record<string, string> = {
  authorized: 'authorized',
  capturePending: 'capture pending',
  partiallyCaptured: 'partially captured',
  captured: 'captured',
  captureFailed: 'capture failed',
  autoCancelled: 'lapsed (auto-cancelled)',
  cancelled: 'cancelled',
};
const OPEN = new Set(['authorized', 'capturePending', 'partiallyCaptured', 'captureFailed']);
/** States after which the capture deadline no longer matters. */
export const SETTLED = new Set(['captured', 'autoCancelled', 'cancelled']);

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/** A CSS class per kind of state: open ones need attention, the rest are settled. */
export function stateKind(state: string): string {
  if (state === 'captured') return 'state-done';
  if (state === 'captureFailed') return 'state-bad';
  if (OPEN.has(state)) return 'state-open';
  return 'state-other';
}
