import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { headerValue, verifyAntomNotification } from '../acquirers/antom/antom-signature';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/capture-options';
import { failure, type WebhookAnswer } from './acknowledgements';
import { interpretAntom } from './antom-inbound';
import { NotificationInbox } from './notification-inbox.service';
import {
  ANTOM_WEBHOOK_PATH,
  isJsonContentType,
  requestBytes,
  sendAck,
  type WebhookReply,
  type WebhookRequest,
} from './webhook-http';

/**
 * POST /webhooks/antom: notifyCapture and notifyPayment. Authenticity first, over the raw bytes:
 * the client-id must be ours and the signature must verify over `POST <ANTOM_NOTIFY_PATH>` (the
 * path Antom signed, which a proxy may have rewritten before it reached us).
 */
@Controller()
export class AntomWebhookController {
  private readonly log = new Logger('Webhooks');

  constructor(
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    private readonly inbox: NotificationInbox,
  ) {}

  @Post(ANTOM_WEBHOOK_PATH)
  async notify(@Req() req: WebhookRequest, @Res() reply: WebhookReply): Promise<void> {
    await sendAck(req, reply, 'antom', await this.answer(req));
  }

  private async answer(req: WebhookRequest): Promise<WebhookAnswer> {
    const contentType = headerValue(req.headers, 'content-type');
    if (!isJsonContentType(contentType)) return this.inbox.unsupportedMediaType('antom', contentType);
    const settings = this.options.antom;
    if (!settings) return this.inbox.refuse('antom', 'Antom is not configured');
    const bytes = requestBytes(req);
    if (!bytes) {
      this.log.error('antom notification: no raw body (the app needs rawBody: true or installWebhookHttp)');
      return failure(503, 'the notification could not be read; please retry');
    }
    const clientId = headerValue(req.headers, 'client-id');
    if (clientId === undefined) return this.inbox.refuse('antom', 'no client-id header');
    if (clientId !== settings.clientId) {
      return this.inbox.refuse('antom', `unknown client-id ${JSON.stringify(clientId.slice(0, 64))}`);
    }
    if (!verifyAntomNotification(settings.publicKey, settings.notifyPath, req.headers, bytes)) {
      const signed = headerValue(req.headers, 'signature') !== undefined;
      return this.inbox.refuse('antom', signed ? 'the signature does not verify' : 'no signature header');
    }
    return this.inbox.receive('antom', bytes, (body) => interpretAntom(body, bytes));
  }
}
