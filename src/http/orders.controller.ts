import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrdersService } from '../capture/orders.service';
import { OrderListQuery } from '../capture/queries/order-list.query';
import { ApiErrors, BearerApi } from './api-docs.decorators';
import { OrderIdPipe } from './order-id.pipe';
import { OrderLookupQuery } from './dto/order-queries.dto';
import { RegisterOrderDto } from './dto/register-order.dto';
import { OrderView, ShipmentView } from './dto/views.dto';
import { badRequest, conflict, notFound, validationMessage } from './errors/api-error';
import { toOrderView, toShipmentView } from './views/order-view-mapper';

/** The merchant backend's routes: register an authorized payment, read it, ask whether it may ship. */
@ApiTags('orders')
@BearerApi()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly lists: OrderListQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register an authorized payment',
    description: '201 new; 200 when the same registration arrives again; 409 when it differs.',
  })
  @ApiCreatedResponse({ type: OrderView, description: 'Registered' })
  @ApiOkResponse({ type: OrderView, description: 'Already registered, identically' })
  @ApiErrors(400, 409, 415)
  async register(
    @Body() dto: RegisterOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const result = await this.orders.register(RegisterOrderDto.toInput(dto));
    switch (result.kind) {
      case 'created':
        return toOrderView(result.order);
      case 'existing':
        void reply.status(200);
        return toOrderView(result.order);
      case 'conflict':
        throw conflict(
          `payment ${dto.paymentId} of ${dto.acquirer} is already registered as order ${result.order.id} with a different ${result.fields.join(', ')}`,
          result.fields.map((field) => ({ field, rule: 'differs from the registered order' })),
        );
      case 'invalid':
        throw badRequest(validationMessage(result.errors), result.errors);
    }
  }

  @Get()
  @ApiOperation({ summary: 'Find an order by merchantOrderId and/or paymentId (the most recent match)' })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(400, 404)
  async lookup(@Query() query: OrderLookupQuery): Promise<OrderView> {
    if (query.merchantOrderId === undefined && query.paymentId === undefined) {
      const details = [
        { field: 'merchantOrderId', rule: 'merchantOrderId or paymentId is required' },
        { field: 'paymentId', rule: 'merchantOrderId or paymentId is required' },
      ];
      throw badRequest(validationMessage(details), details);
    }
    const order = await this.lists.findLatest(query);
    if (!order) throw notFound('no order matches');
    return toOrderView(order);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An order: state, amounts, deadline, review flag' })
  @ApiOkResponse({ type: OrderView })
  @ApiErrors(404)
  async get(@Param('id', OrderIdPipe) id: string): Promise<OrderView> {
    return toOrderView(await this.find(id));
  }

  @Get(':id/shipment')
  @ApiOperation({ summary: 'May it ship? Only when captured and no review is open' })
  @ApiOkResponse({ type: ShipmentView })
  @ApiErrors(404)
  async shipment(@Param('id', OrderIdPipe) id: string): Promise<ShipmentView> {
    return toShipmentView(await this.find(id));
  }

  private async find(id: string) {
    const order = await this.orders.findById(id);
    if (!order) throw notFound(`order ${id} not found`);
    return order;
  }
}
