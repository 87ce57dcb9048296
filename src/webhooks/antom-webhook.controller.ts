import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { verifyAntomNotification } from '../acquirers/antom/antom-signature';
import { headerValue } from '../acquirers/headers';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { failure, type WebhookAnswer } from './acknowledgements';
import { AntomAckView, WebhookResponses } from './ack-views';
import { interpretAntom } from './antom-inbound';
import { NotificationInbox } from './notification-inbox';
import { targetQuery } from '../acquirers/request-target';
import {
  ANTOM_WEBHOOK_PATH,
  isJsonContentType,
  requestBytes,
  sendAck,
  type WebhookReply,
  type WebhookRequest,
} from './webhook-http';

/**
 * The path Antom signed: ANTOM_NOTIFY_PATH, which a proxy may have rewritten on the way, with the
 * query string the notification arrived with (Antom signs the notify URL's path and query; a
 * query is passed on by proxies as it is) unless the setting already spells one out.
 */
export function antomSignedNotifyPath(notifyPath: string, requestTarget: string): string {
  return notifyPath.includes('?') ? notifyPath : notifyPath + targetQuery(requestTarget);
}

/**
 * POST /webhooks/antom: notifyCapture and notifyPayment. Authenticity first, over the raw bytes:
 * the client-id must be ours and the signature must verify over `POST <ANTOM_NOTIFY_PATH>` (the
 * path Antom signed, which a proxy may have rewritten before it reached us).
 */
@ApiTags('webhooks')
@Controller()
export class AntomWebhookController {
  private readonly log = new Logger('Webhooks');

  constructor(
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    private readonly inbox: NotificationInbox,
  ) {}

  @Post(ANTOM_WEBHOOK_PATH)
  @HttpCode(200)
  @ApiOperation({ summary: 'Antom notifyCapture and notifyPayment, signed over the notify path' })
  @WebhookResponses(AntomAckView)
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
    const signedPath = antomSignedNotifyPath(settings.notifyPath, req.url);
    if (!verifyAntomNotification(settings.publicKey, signedPath, req.headers, bytes)) {
      const signed = headerValue(req.headers, 'signature') !== undefined;
      return this.inbox.refuse('antom', signed ? 'the signature does not verify' : 'no signature header');
    }
    return this.inbox.receive('antom', bytes, (body) => interpretAntom(body, bytes));
  }
}
