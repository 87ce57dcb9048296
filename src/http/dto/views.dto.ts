/**
 * What the API answers, as classes so that the OpenAPI document describes the responses too.
 * The order shape is the public contract of docs/architecture.md, field for field.
 */
import { ApiProperty } from '@nestjs/swagger';
import { ACQUIRERS, CAPTURE_MODES, CAPTURE_STATES } from '../../capture/machine/capture-types';
import type { Acquirer, CaptureMode, CaptureStateName } from '../../capture/machine/capture-types';
import { MoneyDto } from './register-order.dto';

/** An amount that may be zero: what has been captured so far ("0" before the first capture). */
export class CapturedAmountView {
  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' })
  currency!: string;
  @ApiProperty({
    example: '0',
    pattern: '^(0|[1-9][0-9]*)$',
    description: 'Integer minor units captured so far, as a string; "0" before the first capture',
  })
  value!: string;
}

export class ReviewView {
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class OrderView {
  @ApiProperty({ description: "The service's own id" }) id!: string;
  @ApiProperty() merchantOrderId!: string;
  @ApiProperty({ enum: ACQUIRERS }) acquirer!: Acquirer;
  @ApiProperty({ type: String, nullable: true }) paymentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) paymentRequestId!: string | null;
  @ApiProperty({ enum: CAPTURE_STATES }) state!: CaptureStateName;
  @ApiProperty({ enum: CAPTURE_MODES }) captureMode!: CaptureMode;
  @ApiProperty({ type: MoneyDto, description: 'The authorized amount' }) amount!: MoneyDto;
  @ApiProperty({ type: CapturedAmountView }) capturedAmount!: CapturedAmountView;
  @ApiProperty({ format: 'date-time' }) authorizedAt!: string;
  @ApiProperty({ format: 'date-time' }) captureDeadline!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) captureAt!: string | null;
  @ApiProperty({ type: ReviewView, nullable: true }) review!: ReviewView | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ShipmentView {
  @ApiProperty({ description: 'Captured, and no review open' }) shippable!: boolean;
  @ApiProperty({ enum: CAPTURE_STATES }) state!: CaptureStateName;
  @ApiProperty({ type: CapturedAmountView }) capturedAmount!: CapturedAmountView;
  @ApiProperty({ type: MoneyDto }) authorizedAmount!: MoneyDto;
  @ApiProperty({ type: String, nullable: true, description: 'Why not (null when shippable)' })
  reason!: string | null;
}

export class AttemptView {
  @ApiProperty() captureRequestId!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty() isLast!: boolean;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['merchant', 'acquirer'], description: 'merchant: we sent it' }) origin!: string;
  @ApiProperty({ type: String, nullable: true }) captureId!: string | null;
  @ApiProperty({ type: String, nullable: true }) resultCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) resultMessage!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) calledAt!: string | null;
  @ApiProperty() inquiryCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextInquiryAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TransitionView {
  @ApiProperty({ enum: CAPTURE_STATES }) from!: CaptureStateName;
  @ApiProperty({ enum: CAPTURE_STATES }) to!: CaptureStateName;
  @ApiProperty({ example: 'CANCEL_REQUESTED' }) event!: string;
  @ApiProperty({ example: 'admin', description: 'Who sent the event' }) source!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class NotificationView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ACQUIRERS }) acquirer!: Acquirer;
  @ApiProperty({ type: String, nullable: true }) notifyType!: string | null;
  @ApiProperty({ enum: ['applied', 'duplicate', 'orphan', 'rejected', 'review', 'ignored'] })
  outcome!: string;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true }) captureRequestId!: string | null;
  @ApiProperty({ description: 'The body exactly as received' }) rawBody!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processedAt!: string | null;
}

export class OrderDetailView extends OrderView {
  @ApiProperty({ type: [AttemptView] }) attempts!: AttemptView[];
  @ApiProperty({ type: [TransitionView], description: 'Oldest first' }) transitions!: TransitionView[];
  @ApiProperty({ type: [NotificationView] }) notifications!: NotificationView[];
}

export class OrderPageView {
  @ApiProperty({ type: [OrderView], description: 'Newest first (createdAt, then id)' }) items!: OrderView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class CaptureAcceptedView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ description: 'The id the acquirer sees' }) captureRequestId!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty() isLast!: boolean;
  @ApiProperty({ enum: ['pending'], description: 'Committed; the acquirer is called after commit' })
  status!: string;
}

export class ReconciledCaptureView {
  @ApiProperty() captureRequestId!: string;
  @ApiProperty({ enum: ['S', 'F', 'U'] }) status!: string;
  @ApiProperty({ description: 'What applying it did (applied, duplicate, rejected, skipped)' })
  result!: string;
  @ApiProperty({ required: false }) reason?: string;
}

export class ReconciliationSentView {
  @ApiProperty() captureRequestId!: string;
  @ApiProperty({ enum: ['first', 'resend'] }) mode!: string;
  @ApiProperty({ enum: ['S', 'F', 'U'], required: false }) status?: string;
}

export class ReconciliationView {
  @ApiProperty({
    enum: ['inquired', 'unsupported', 'inquiryFailed'],
    description: 'unsupported: the acquirer documents no capture query (PayerMax)',
  })
  outcome!: string;
  @ApiProperty({ required: false }) paymentStatus?: string;
  @ApiProperty({ type: [ReconciledCaptureView], description: 'The captures the acquirer reported' })
  captures!: ReconciledCaptureView[];
  @ApiProperty({
    type: [ReconciliationSentView],
    description: 'Attempts the acquirer did not know, sent now',
  })
  sent!: ReconciliationSentView[];
  @ApiProperty({ description: 'Our attempts still pending afterwards' }) pending!: number;
  @ApiProperty({ description: 'The acquirer reports a capture still in process' }) inProcess!: boolean;
  @ApiProperty({ required: false }) error?: string;
  @ApiProperty({ type: OrderView, description: 'The order afterwards' }) order!: OrderView;
}

export class PendingByAgeView {
  @ApiProperty({ description: 'Committed less than 5 minutes ago' }) under5m!: number;
  @ApiProperty() from5mTo1h!: number;
  @ApiProperty() from1hTo24h!: number;
  @ApiProperty({ description: 'Committed 24 hours ago or earlier' }) over24h!: number;
}

export class PendingAttemptsView {
  @ApiProperty() total!: number;
  @ApiProperty({ type: PendingByAgeView, description: 'Pending capture attempts by age since committed' })
  byAge!: PendingByAgeView;
}

export class StatsView {
  @ApiProperty({ description: 'Every state, zero included', example: { authorized: 3, captured: 10 } })
  byState!: Record<CaptureStateName, number>;
  @ApiProperty({ description: 'Orders with an open review' }) underReview!: number;
  @ApiProperty({ description: 'Open orders whose authorization lapses within 24 hours' })
  lapsingWithin24h!: number;
  @ApiProperty({ type: PendingAttemptsView }) pendingAttempts!: PendingAttemptsView;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class FieldErrorView {
  @ApiProperty({ example: 'amount.value' }) field!: string;
  @ApiProperty({ example: 'must be a positive integer string in minor units (at most 2^63-1)' })
  rule!: string;
}

export class ErrorView {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'validation failed: amount.value' }) message!: string;
  @ApiProperty({ type: [FieldErrorView], required: false }) details?: FieldErrorView[];
}
