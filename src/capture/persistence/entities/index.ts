import { CaptureAttemptEntity } from './capture-attempt.entity';
import { InboundNotificationEntity } from './inbound-notification.entity';
import { OrderTransitionEntity } from './order-transition.entity';
import { OrderEntity } from './order.entity';
import { OutboxEventEntity } from './outbox-event.entity';

export {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
  OrderTransitionEntity,
  OutboxEventEntity,
};
export type { NotificationOutcome } from './inbound-notification.entity';

export const CAPTURE_ENTITIES = [
  OrderEntity,
  CaptureAttemptEntity,
  OrderTransitionEntity,
  InboundNotificationEntity,
  OutboxEventEntity,
];
