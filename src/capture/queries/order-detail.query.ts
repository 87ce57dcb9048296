import { Injectable } from '@nestjs/common';
import {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
  OrderTransitionEntity,
} from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';

export interface OrderDetail {
  order: OrderEntity;
  attempts: CaptureAttemptEntity[];
  /** Oldest first: the id increases with every applied event. */
  transitions: OrderTransitionEntity[];
  notifications: InboundNotificationEntity[];
}

/** An order with everything an operator needs to understand it. */
@Injectable()
export class OrderDetailQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async get(orderId: string): Promise<OrderDetail | null> {
    const ds = this.uow.dataSource;
    const order = await ds.getRepository(OrderEntity).findOne({ where: { id: orderId } });
    if (!order) return null;
    const [attempts, transitions, notifications] = await Promise.all([
      ds.getRepository(CaptureAttemptEntity).find({
        where: { orderId },
        order: { createdAt: 'ASC', captureRequestId: 'ASC' },
      }),
      ds.getRepository(OrderTransitionEntity).find({ where: { orderId }, order: { id: 'ASC' } }),
      ds.getRepository(InboundNotificationEntity).find({ where: { orderId }, order: { id: 'ASC' } }),
    ]);
    return { order, attempts, transitions, notifications };
  }
}
