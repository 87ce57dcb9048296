/**
 * Request targets reduced to what a signature covers: the origin form (path and query), never
 * the scheme and authority of an absolute-form target.
 */
import { originForm, targetPath, targetQuery } from '../../../src/acquirers/request-target';
import { antomSignedNotifyPath } from '../../../src/webhooks/antom-webhook.controller';

describe('request targets', () => {
  it.each([
    ['/ams/api/v1/payments/capture', '/ams/api/v1/payments/capture'],
    ['/a?x=1', '/a?x=1'],
    ['http://127.0.0.1:4100/ams/api/v1/payments/capture', '/ams/api/v1/payments/capture'],
    ['https://user@host.example:443/a/b?x=1&y=2', '/a/b?x=1&y=2'],
    ['HTTP://HOST/a', '/a'],
    ['http://host', '/'],
    ['http://host?x=1', '/?x=1'],
    ['http://[::1]:8080/a', '/a'],
  ])('%s is %s in origin form', (target, origin) => {
    expect(originForm(target)).toBe(origin);
  });

  it('splits path and query in either form', () => {
    expect(targetPath('http://h:1/webhooks/antom?shop=1')).toBe('/webhooks/antom');
    expect(targetQuery('http://h:1/webhooks/antom?shop=1')).toBe('?shop=1');
    expect(targetPath('/webhooks/antom')).toBe('/webhooks/antom');
    expect(targetQuery('/webhooks/antom')).toBe('');
  });

  it('the Antom notify path signed: the setting, plus the query the notification arrived with', () => {
    expect(antomSignedNotifyPath('/webhooks/antom', '/webhooks/antom')).toBe('/webhooks/antom');
    expect(antomSignedNotifyPath('/webhooks/antom', 'http://h/webhooks/antom?s=1')).toBe(
      '/webhooks/antom?s=1',
    );
    expect(antomSignedNotifyPath('/edge/notify?s=2', '/webhooks/antom?s=1')).toBe('/edge/notify?s=2');
  });
});
