/**
 * The acknowledgements as classes, for the OpenAPI document only: what the webhook routes
 * answer is built in acknowledgements.ts, byte for byte as each acquirer expects it.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { FAILURE_CODES } from './acknowledgements';

const FAILURE_CODE_LIST = [...new Set(Object.values(FAILURE_CODES)), 'UNKNOWN_EXCEPTION'];

export class AckFieldErrorView {
  @ApiProperty({ example: 'captureAmount.value' }) field!: string;
  @ApiProperty({ example: 'is required' }) rule!: string;
}

export class AntomResultView {
  @ApiProperty({ enum: ['SUCCESS', ...FAILURE_CODE_LIST] }) resultCode!: string;
  @ApiProperty({ enum: ['S', 'F'], description: 'S stops the retries; F asks for them' })
  resultStatus!: 'S' | 'F';
  @ApiProperty({ example: 'success' }) resultMessage!: string;
}

export class AntomAckView {
  @ApiProperty({ type: AntomResultView }) result!: AntomResultView;
  @ApiProperty({ type: [AckFieldErrorView], required: false, description: '400 only' })
  details?: AckFieldErrorView[];
}

export class PayermaxAckView {
  @ApiProperty({ enum: ['SUCCESS', ...FAILURE_CODE_LIST] }) code!: string;
  @ApiProperty({ example: 'Success' }) msg!: string;
  @ApiProperty({ type: [AckFieldErrorView], required: false, description: '400 only' })
  details?: AckFieldErrorView[];
}

const FAILURES: Record<number, string> = {
  400: 'Authentic but invalid (every offending field in details); stored as rejected',
  401: 'Unauthentic (bad or missing signature, not addressed to us, acquirer not configured); nothing stored',
  413: 'The body exceeds BODY_LIMIT_BYTES',
  415: 'The content type is not application/json',
  503: 'Not stored (database unavailable, shutting down): the acquirer retries later',
};

/** The statuses of one webhook route, each with the acquirer's own acknowledgement shape. */
export function WebhookResponses(type: typeof AntomAckView | typeof PayermaxAckView): MethodDecorator {
  const responses = [
    {
      status: 200,
      type,
      description:
        'Acknowledged once committed (a redelivery too): the acquirer stops retrying. Also for an ' +
        'authentic notification whose money disagrees with our records (stored and flagged for review).',
    },
    ...Object.entries(FAILURES).map(([status, description]) => ({
      status: Number(status),
      type,
      description,
    })),
  ];
  return applyDecorators(...responses.map((r) => ApiResponse(r)));
}
