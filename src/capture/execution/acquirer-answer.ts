import type { CaptureEvent, Money } from '../machine/capture-types';
import type { CaptureCallResult } from '../ports/acquirer-port';

/**
 * What the acquirer's word on one capture becomes for the machine, whether it came as the
 * answer to our capture call or as a CAPTURE transaction an inquiry reported: S is
 * CAPTURE_SUCCEEDED, F CAPTURE_FAILED, U CAPTURE_PENDING. A success that names no amount takes
 * `knownAmount` (what we asked for); without either it cannot become an event (null).
 */
export function acquirerAnswerEvent(
  captureRequestId: string,
  answer: CaptureCallResult,
  at: string,
  knownAmount?: Money,
): CaptureEvent | null {
  if (answer.status === 'S') {
    const amount = answer.amount ?? knownAmount;
    if (!amount) return null;
    return {
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId,
      ...(answer.captureId ? { captureId: answer.captureId } : {}),
      amount,
      resultCode: answer.resultCode ?? 'SUCCESS',
      at,
    };
  }
  if (answer.status === 'F') {
    return {
      type: 'CAPTURE_FAILED',
      captureRequestId,
      resultCode: answer.resultCode ?? 'UNKNOWN',
      ...(answer.resultMessage ? { resultMessage: answer.resultMessage } : {}),
      at,
    };
  }
  return {
    type: 'CAPTURE_PENDING',
    captureRequestId,
    ...(answer.resultCode ? { resultCode: answer.resultCode } : {}),
    at,
  };
}
