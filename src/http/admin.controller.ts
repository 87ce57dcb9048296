import { Body, Controller, Get, HttpCode, Inject, Optional, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApplyResult } from '../capture/capture-result';
import { OrderEventApplier } from '../capture/order-event-applier';
import { CaptureRequestService } from '../capture/execution/capture-request.service';
import { ReconciliationService } from '../capture/execution/reconciliation.service';
import { ABANDONED_BY_OPERATOR } from '../capture/machine/capture-rules';
import type { CaptureEvent } from '../capture/machine/capture-types';
import { OrdersService } from '../capture/orders.service';
import type { OrderEntity } from '../capture/persistence/entities';
import { InvalidCursorError } from '../capture/queries/cursor';
import { OrderDetailQuery } from '../capture/queries/order-detail.query';
import { OrderListQuery } from '../capture/queries/order-list.query';
import { OrderStatsQuery } from '../capture/queries/order-stats.query';
import { ApiErrors, BearerApi } from './api-docs.decorators';
import { OrderIdPipe } from './order-id.pipe';
import { AttemptActionDto, CancelOrderDto, CaptureOrderDto, ResolveReviewDto } from './dto/admin-actions.dto';
import { ListOrdersQuery } from './dto/order-queries.dto';
import { isExternalId, RULE_TEXT } from '../capture/field-rules';
import {
  CaptureAcceptedView,
  OrderDetailView,
  OrderPageView,
  OrderView,
  ReconciliationView,
  StatsView,
} from './dto/views.dto';
import { ApiException, badRequest, conflict, notFound } from './errors/api-error';
import { toOrderDetailView, toOrderView, toStatsView } from './views/order-view-mapper';
import { CLOCK, type Clock } from '../capture/ports/clock';

/** Recorded in the transition history as the source of every operator action. */
const ADMIN_SOURCE = 'admin';

/** The operators' routes. Every action is one event through OrderEventApplier; the machine decides. */
@ApiTags('admin')
@BearerApi()
@Controller('admin')
export class AdminController {
  constructor(
    private readonly capture: OrderEventApplier,
    private readonly captureRequests: CaptureRequestService,
    private readonly orders: OrdersService,
    private readonly lists: OrderListQuery,
    private readonly details: OrderDetailQuery,
    private readonly statsQuery: OrderStatsQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly reconciliation?: ReconciliationService,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  @Get('orders')
  @ApiOperation({ summary: 'Orders, newest first, filtered; keyset pagination through nextCursor' })
  @ApiOkResponse({ type: OrderPageView })
  @ApiErrors(400)
  async list(@Query() q: ListOrdersQuery): Promise<OrderPageView> {
    const date = (v?: string) => (v === undefined ? undefined : new Date(v));
    try {
      const page = await this.lists.list({
        states: q.state,
        acquirer: q.acquirer,
        underReview: q.review === undefined ? undefined : q.review === 'true',
        deadlineBefore: date(q.deadlineBefore),
        deadlineAfter: date(q.deadlineAfter),
        createdFrom: date(q.createdFrom),
        createdTo: date(q.createdTo),
        search: q.search,
        limit: q.limit === undefined ? 50 : Number(q.limit),
        cursor: q.cursor,
      });
      return { items: page.items.map(toOrderView), nextCursor: page.nextCursor };
    } catch (err) {
      if (!(err instanceof InvalidCursorError)) throw err;
      throw badRequest('validation failed: cursor', [{ field: 'cursor', rule: err.message }]);
    }
  }

  @Get('orders/:id')
  @ApiOperation({
    summary: 'An order with its capture attempts, transitions (oldest first) and notifications',
  })
  @ApiOkResponse({ type: OrderDetailView })
  @ApiErrors(404)
  async detail(@Param('id', OrderIdPipe) id: string): Promise<OrderDetailView> {
    const detail = await this.details.get(id);
    if (!detail) throw notFound(`order ${id} not found`);
    return toOrderDetailView(detail);
  }

  @Post('orders/:id/capture')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Capture now',
    description: 'Answers once the attempt is committed; the acquirer is called after commit.',
  })
  @ApiAcceptedResponse({ type: CaptureAcceptedView })
  @ApiErrors(400, 404, 409, 415)
  async captureOrder(
    @Param('id', OrderIdPipe) id: string,
    @Body() dto: CaptureOrderDto,
  ): Promise<CaptureAcceptedView> {
    const { captureRequestId, result } = await this.captureRequests.requestCapture(
      id,
      { amount: dto.amount, isLast: dto.isLast },
      ADMIN_SOURCE,
    );
    return accepted(orThrow(result), captureRequestId);
  }

  @Post('orders/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Void the authorization (through the acquirer, after commit)' })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(400, 404, 409, 415)
  cancel(@Param('id', OrderIdPipe) id: string, @Body() dto: CancelOrderDto): Promise<OrderView> {
    return this.act(id, {
      type: 'CANCEL_REQUESTED',
      ...(dto.reason ? { reason: dto.reason } : {}),
      at: this.now(),
    });
  }

  @Post('orders/:id/reconcile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inquire now',
    description: 'Asks the acquirer what happened to the captures and applies its answer.',
  })
  @ApiOkResponse({ type: ReconciliationView })
  @ApiErrors(404)
  async reconcile(@Param('id', OrderIdPipe) id: string): Promise<ReconciliationView> {
    if (!this.reconciliation) throw new ApiException(503, 'reconciliation is not available in this build');
    const summary = await this.reconciliation.reconcileOrder(id, ADMIN_SOURCE);
    if (summary.outcome === 'notFound') throw notFound(`order ${id} not found`);
    const order = await this.orders.findById(id);
    if (!order) throw notFound(`order ${id} not found`);
    const { orderId: _orderId, state: _state, ...rest } = summary;
    return { ...rest, order: toOrderView(order) };
  }

  @Post('orders/:id/attempts/:captureRequestId/resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a pending capture again, under the same captureRequestId',
    description:
      'The acquirer captures one id at most once and answers what became of it. Answers once the ' +
      'resend is recorded; the acquirer is called after commit.',
  })
  @ApiAcceptedResponse({ type: CaptureAcceptedView })
  @ApiErrors(400, 404, 409, 415)
  async resendAttempt(
    @Param('id', OrderIdPipe) id: string,
    @Param('captureRequestId') captureRequestId: string,
    @Body() dto: AttemptActionDto,
  ): Promise<CaptureAcceptedView> {
    checkAttemptId(captureRequestId);
    const result = await this.capture.apply(
      id,
      { type: 'CAPTURE_RESEND_REQUESTED', captureRequestId, note: dto.note, at: this.now() },
      ADMIN_SOURCE,
    );
    return accepted(orThrow(result), captureRequestId);
  }

  @Post('orders/:id/attempts/:captureRequestId/abandon')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Abandon a pending capture: the operator states it captured nothing',
    description: `It fails with ${ABANDONED_BY_OPERATOR} and the order moves as after a failure; never retried.`,
  })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(400, 404, 409, 415)
  abandonAttempt(
    @Param('id', OrderIdPipe) id: string,
    @Param('captureRequestId') captureRequestId: string,
    @Body() dto: AttemptActionDto,
  ): Promise<OrderView> {
    checkAttemptId(captureRequestId);
    return this.act(id, { type: 'CAPTURE_ABANDONED', captureRequestId, note: dto.note, at: this.now() });
  }

  @Post('orders/:id/review/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the open review, with a note' })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(400, 404, 409, 415)
  resolveReview(@Param('id', OrderIdPipe) id: string, @Body() dto: ResolveReviewDto): Promise<OrderView> {
    return this.act(id, { type: 'REVIEW_RESOLVED', note: dto.note, at: this.now() });
  }

  @Get('stats')
  @ApiOperation({ summary: 'Counts by state, reviews, lapsing authorizations, pending attempts by age' })
  @ApiOkResponse({ type: StatsView })
  async stats(): Promise<StatsView> {
    return toStatsView(await this.statsQuery.get());
  }

  /** Applies an operator's event; a repeat of what is already true answers with the order as it is. */
  private async act(id: string, event: CaptureEvent): Promise<OrderView> {
    const result = await this.capture.apply(id, event, ADMIN_SOURCE);
    if (result.kind === 'duplicate') {
      const order = await this.orders.findById(id);
      if (order) return toOrderView(order);
    }
    return toOrderView(orThrow(result));
  }
}

/** notFound is 404, a refusal 409 with the machine's reason. */
function orThrow(result: ApplyResult) {
  switch (result.kind) {
    case 'applied':
      return result.order;
    case 'notFound':
      throw notFound(`order ${result.orderId} not found`);
    case 'rejected':
    case 'duplicate':
      throw conflict(result.reason);
  }
}

/** The committed attempt, as the 202 of a capture or a resend shows it. */
function accepted(order: OrderEntity, captureRequestId: string): CaptureAcceptedView {
  const attempt = order.snapshot.context.attempts[captureRequestId];
  // The caller has just committed this attempt into the order's snapshot.
  if (!attempt) throw new Error(`attempt ${captureRequestId} is not in order ${order.id}`);
  return {
    orderId: order.id,
    captureRequestId,
    amount: { currency: order.currency, value: attempt.amount },
    isLast: attempt.isLast,
    status: attempt.status,
  };
}

function checkAttemptId(captureRequestId: string): void {
  if (!isExternalId(captureRequestId)) {
    throw badRequest('validation failed: captureRequestId', [
      { field: 'captureRequestId', rule: RULE_TEXT.id },
    ]);
  }
}
