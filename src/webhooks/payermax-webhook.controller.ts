import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { headerValue } from '../acquirers/headers';
import { PAYERMAX_SIGN_HEADER, verifyPayermaxBody } from '../acquirers/payermax/payermax-signature';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { failure, type WebhookAnswer } from './acknowledgements';
import { PayermaxAckView, WebhookResponses } from './ack-views';
import { NotificationInbox } from './notification-inbox';
import { interpretPayermax, payermaxIdentityMismatch } from './payermax-inbound';
import {
  isJsonContentType,
  PAYERMAX_WEBHOOK_PATH,
  requestBytes,
  sendAck,
  type WebhookReply,
  type WebhookRequest,
} from './webhook-http';

/**
 * POST /webhooks/payermax/capture: the `sign` header must verify over the raw body, and the
 * signed body must name our merchantNo and appId.
 */
@ApiTags('webhooks')
@Controller()
export class PayermaxWebhookController {
  private readonly log = new Logger('Webhooks');

  constructor(
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    private readonly inbox: NotificationInbox,
  ) {}

  @Post(PAYERMAX_WEBHOOK_PATH)
  @HttpCode(200)
  @ApiOperation({ summary: 'PayerMax capture notification, signed over the raw body' })
  @WebhookResponses(PayermaxAckView)
  async notify(@Req() req: WebhookRequest, @Res() reply: WebhookReply): Promise<void> {
    await sendAck(req, reply, 'payermax', await this.answer(req));
  }

  private async answer(req: WebhookRequest): Promise<WebhookAnswer> {
    const contentType = headerValue(req.headers, 'content-type');
    if (!isJsonContentType(contentType)) return this.inbox.unsupportedMediaType('payermax', contentType);
    const settings = this.options.payermax;
    if (!settings) return this.inbox.refuse('payermax', 'PayerMax is not configured');
    const bytes = requestBytes(req);
    if (!bytes) {
      this.log.error(
        'payermax notification: no raw body (the app needs rawBody: true or installWebhookHttp)',
      );
      return failure(503, 'the notification could not be read; please retry');
    }
    const sign = headerValue(req.headers, PAYERMAX_SIGN_HEADER);
    if (sign === undefined) return this.inbox.refuse('payermax', 'no sign header');
    if (!verifyPayermaxBody(settings.publicKey, bytes, sign)) {
      return this.inbox.refuse('payermax', 'the signature does not verify');
    }
    return this.inbox.receive('payermax', bytes, (body) => {
      const mismatch = payermaxIdentityMismatch(body, settings);
      return mismatch ? { refused: mismatch } : interpretPayermax(body, settings);
    });
  }
}
