import { redactUrl } from '../../../src/capture/persistence/database-options';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/orders', 'postgres://app:***@db:5432/orders'],
    // A password with '@' in it: everything up to the last '@' before the host is user info.
    ['postgres://app:p@ss@w0rd@db:5432/orders', 'postgres://app:***@db:5432/orders'],
    ['postgresql://app:a/b:c@db/orders', 'postgresql://app:***@db/orders'],
    ['postgres://app:123/x@db/orders', 'postgres://app:***@db/orders'],
  ])('hides the password of %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('hides password, sslpassword and sslkey query parameters and keeps the others', () => {
    const out = redactUrl(
      'postgres://app@db/orders?password=hunter2&sslmode=require&sslpassword=pw2&sslkey=/keys/k.pem&application_name=oc',
    );
    expect(out).not.toMatch(/hunter2|pw2|k\.pem/);
    const params = new URL(out).searchParams;
    expect(params.get('password')).toBe('***');
    expect(params.get('sslpassword')).toBe('***');
    expect(params.get('sslkey')).toBe('***');
    expect(params.get('sslmode')).toBe('require');
    expect(params.get('application_name')).toBe('oc');
  });

  it('hides both at once, and leaves a URL without secrets as it was', () => {
    const out = redactUrl('postgres://app:x@y@db/orders?PASSWORD=z');
    expect(out).not.toMatch(/x@y|=z/);
    expect(redactUrl('postgres://app@db:5432/orders?sslmode=require')).toBe(
      'postgres://app@db:5432/orders?sslmode=require',
    );
    expect(redactUrl('sqlite:./data/order-capture.sqlite')).toBe('sqlite:./data/order-capture.sqlite');
  });

  it('hides what it cannot parse rather than print it', () => {
    for (const url of ['postgres://app:pa?ss@db/orders', 'postgres://app:pa#ss@db/orders', 'mysql:secret']) {
      expect(redactUrl(url)).not.toMatch(/pa|ss|secret/);
    }
  });
});
