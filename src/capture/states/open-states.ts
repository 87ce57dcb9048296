/**
 * The states in which an order still has work ahead (a capture to make, to confirm or to
 * retry, a deadline to watch): the scheduler claims them, the gauges and the stats count them.
 * It imports nothing, so that the machine can use it too without a cycle; every entry is a
 * machine state (schedule/next-check.ts checks that at compile time).
 */
export const OPEN_STATES = ['authorized', 'capturePending', 'partiallyCaptured', 'captureFailed'] as const;
