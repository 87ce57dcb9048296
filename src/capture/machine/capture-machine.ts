/**
 * The capture machine: one per order, pure. It is never started as an actor on a request
 * path; the engine restores a stored snapshot, computes the next one with xstate's
 * `transition()`, and the shell persists it and runs the returned `effect` actions after commit.
 *
 * The config below is the state chart, plain and static (it loads as it is in the Stately
 * visualizer and in xstate's inspector): per state, every event that can move the order, to
 * which state, under which named guard, with which named action. Every other event in a state
 * (`'*'`) is a repeat, a change of the order's record that does not move it, or a refusal. The
 * guards (capture-guards.ts) ask the rules of capture-rules.ts and capture-deadline.ts, once per
 * event; a guard reads the state it leaves from its `from` param, as xstate shows it no state.
 */
import { captureSetup } from './capture-actions';

/** Bump when a change makes stored snapshots mean something else; stored beside each snapshot. */
export const MACHINE_VERSION = 1;

export const captureMachine = captureSetup.createMachine({
  id: 'capture',
  initial: 'authorized',
  context: ({ input }) => ({
    ...input,
    capturedAmount: '0',
    attempts: {},
    deadlineWarned: false,
    review: null,
  }),
  states: {
    authorized: {
      on: {
        CAPTURE_REQUESTED: {
          target: 'capturePending',
          guard: { type: 'captureAllowed', params: { from: 'authorized' } },
          actions: 'recordAttempt',
        },
        CAPTURE_SUCCEEDED: [
          {
            target: 'captured',
            guard: { type: 'capturesEverything', params: { from: 'authorized' } },
            actions: 'recordCapture',
          },
          {
            target: 'partiallyCaptured',
            guard: { type: 'capturesPart', params: { from: 'authorized' } },
            actions: 'recordCapture',
          },
        ],
        CAPTURE_FAILED: [
          {
            target: 'captureFailed',
            guard: { type: 'attemptFailed', params: { from: 'authorized' } },
            actions: 'recordFailure',
          },
          {
            target: 'autoCancelled',
            guard: { type: 'authorizationLapses', params: { from: 'authorized' } },
            actions: 'recordFailure',
          },
        ],
        CAPTURE_PENDING: {
          target: 'capturePending',
          guard: { type: 'acquirerCapturing', params: { from: 'authorized' } },
          actions: 'recordInProcess',
        },
        DEADLINE_REACHED: {
          target: 'autoCancelled',
          guard: { type: 'authorizationLapses', params: { from: 'authorized' } },
          actions: 'lapseAtDeadline',
        },
        CANCEL_REQUESTED: {
          target: 'cancelled',
          guard: { type: 'voidable', params: { from: 'authorized' } },
          actions: 'cancelOrder',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'authorized' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'authorized' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    capturePending: {
      on: {
        CAPTURE_SUCCEEDED: [
          {
            target: 'captured',
            guard: { type: 'capturesEverything', params: { from: 'capturePending' } },
            actions: 'recordCapture',
          },
          {
            target: 'partiallyCaptured',
            guard: { type: 'capturesPart', params: { from: 'capturePending' } },
            actions: 'recordCapture',
          },
          {
            target: 'partiallyLapsed',
            guard: { type: 'remainderLapses', params: { from: 'capturePending' } },
            actions: 'recordCapture',
          },
        ],
        CAPTURE_FAILED: [
          {
            target: 'captureFailed',
            guard: { type: 'attemptFailed', params: { from: 'capturePending' } },
            actions: 'recordFailure',
          },
          {
            target: 'autoCancelled',
            guard: { type: 'authorizationLapses', params: { from: 'capturePending' } },
            actions: 'recordFailure',
          },
          {
            target: 'partiallyCaptured',
            guard: { type: 'keepsEarlierCaptures', params: { from: 'capturePending' } },
            actions: 'recordFailure',
          },
          {
            target: 'partiallyLapsed',
            guard: { type: 'remainderLapses', params: { from: 'capturePending' } },
            actions: 'recordFailure',
          },
        ],
        CAPTURE_ABANDONED: [
          {
            target: 'captureFailed',
            guard: { type: 'attemptFailed', params: { from: 'capturePending' } },
            actions: 'recordAbandonment',
          },
          {
            target: 'autoCancelled',
            guard: { type: 'authorizationLapses', params: { from: 'capturePending' } },
            actions: 'recordAbandonment',
          },
          {
            target: 'partiallyCaptured',
            guard: { type: 'keepsEarlierCaptures', params: { from: 'capturePending' } },
            actions: 'recordAbandonment',
          },
          {
            target: 'partiallyLapsed',
            guard: { type: 'remainderLapses', params: { from: 'capturePending' } },
            actions: 'recordAbandonment',
          },
        ],
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'capturePending' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'capturePending' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    partiallyCaptured: {
      on: {
        CAPTURE_REQUESTED: {
          target: 'capturePending',
          guard: { type: 'captureAllowed', params: { from: 'partiallyCaptured' } },
          actions: 'recordAttempt',
        },
        CAPTURE_SUCCEEDED: {
          target: 'captured',
          guard: { type: 'capturesEverything', params: { from: 'partiallyCaptured' } },
          actions: 'recordCapture',
        },
        CAPTURE_FAILED: {
          target: 'partiallyLapsed',
          guard: { type: 'remainderLapses', params: { from: 'partiallyCaptured' } },
          actions: 'recordFailure',
        },
        DEADLINE_REACHED: {
          target: 'partiallyLapsed',
          guard: { type: 'remainderLapses', params: { from: 'partiallyCaptured' } },
          actions: 'lapseAtDeadline',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'partiallyCaptured' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'partiallyCaptured' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    captureFailed: {
      on: {
        CAPTURE_REQUESTED: {
          target: 'capturePending',
          guard: { type: 'captureAllowed', params: { from: 'captureFailed' } },
          actions: 'recordAttempt',
        },
        CAPTURE_SUCCEEDED: [
          {
            target: 'captured',
            guard: { type: 'capturesEverything', params: { from: 'captureFailed' } },
            actions: 'recordCapture',
          },
          {
            target: 'partiallyCaptured',
            guard: { type: 'capturesPart', params: { from: 'captureFailed' } },
            actions: 'recordCapture',
          },
        ],
        CAPTURE_FAILED: {
          target: 'autoCancelled',
          guard: { type: 'authorizationLapses', params: { from: 'captureFailed' } },
          actions: 'recordFailure',
        },
        CAPTURE_PENDING: {
          target: 'capturePending',
          guard: { type: 'acquirerCapturing', params: { from: 'captureFailed' } },
          actions: 'recordInProcess',
        },
        DEADLINE_REACHED: {
          target: 'autoCancelled',
          guard: { type: 'authorizationLapses', params: { from: 'captureFailed' } },
          actions: 'lapseAtDeadline',
        },
        CANCEL_REQUESTED: {
          target: 'cancelled',
          guard: { type: 'voidable', params: { from: 'captureFailed' } },
          actions: 'cancelOrder',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'captureFailed' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'captureFailed' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    captured: {
      on: {
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'captured' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'captured' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    autoCancelled: {
      on: {
        CAPTURE_SUCCEEDED: {
          target: 'captured',
          guard: { type: 'capturesEverything', params: { from: 'autoCancelled' } },
          actions: 'recordCapture',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'autoCancelled' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'autoCancelled' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    partiallyLapsed: {
      on: {
        CAPTURE_SUCCEEDED: {
          target: 'captured',
          guard: { type: 'capturesEverything', params: { from: 'partiallyLapsed' } },
          actions: 'recordCapture',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'partiallyLapsed' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'partiallyLapsed' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
    cancelled: {
      on: {
        CAPTURE_SUCCEEDED: {
          target: 'captured',
          guard: { type: 'capturesEverything', params: { from: 'cancelled' } },
          actions: 'recordCapture',
        },
        '*': [
          { guard: { type: 'isRepeat', params: { from: 'cancelled' } }, actions: 'ignoreRepeat' },
          { guard: { type: 'staysPut', params: { from: 'cancelled' } }, actions: 'recordInPlace' },
          { actions: 'refuse' },
        ],
      },
    },
  },
});
