/** Acquirer notifications: controllers and the providers behind them, registered by CaptureModule. */
import { AntomWebhookController } from './antom-webhook.controller';
import { NotificationApplier } from './notification-applier';
import { NotificationInbox } from './notification-inbox';
import { OrphanReplayService } from './orphan-replay.service';
import { PayermaxWebhookController } from './payermax-webhook.controller';
import { WebhookCounters } from './webhook-counters';

export const WEBHOOK_CONTROLLERS = [AntomWebhookController, PayermaxWebhookController];
export const WEBHOOK_PROVIDERS = [
  NotificationApplier,
  NotificationInbox,
  OrphanReplayService,
  WebhookCounters,
];

export { installWebhookHttp, type WebhookHttpOptions } from './install-webhook-http';
