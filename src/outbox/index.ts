import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxStore } from './outbox-store';

export { OutboxDispatcher };
export { DOMAIN_EVENT_TYPES, type DomainEvent } from '../capture/events/domain-event';

/** Delivery of the outbox after commit: in-process listeners and SHIPPING_WEBHOOK_URL. */
export const OUTBOX_PROVIDERS = [OutboxStore, OutboxDispatcher];
