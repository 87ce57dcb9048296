/**
 * What a person starting the service in sandbox mode needs to see, as plain lines on stderr
 * (the logs on stdout are JSON for machines): the generated admin token and how to try it.
 */

/** 0.0.0.0 and :: listen everywhere; a browser or curl reaches them on loopback. */
export function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function sandboxBanner(adminToken: string, serviceUrl: string, sandboxUrl?: string): string {
  const rule = '='.repeat(72);
  const lines = [
    rule,
    'order-capture, sandbox mode: ADMIN_TOKEN was generated for this run (set it to choose one)',
    '',
    `  ADMIN_TOKEN=${adminToken}`,
    ...(sandboxUrl ? [`  SANDBOX_URL=${sandboxUrl}`] : []),
    '',
    `  curl -H "authorization: Bearer ${adminToken}" ${serviceUrl}/admin/stats`,
    ...(sandboxUrl
      ? [`  DEMO_URL=${serviceUrl} ADMIN_TOKEN=${adminToken} SANDBOX_URL=${sandboxUrl} npm run demo`]
      : []),
    rule,
  ];
  return `${lines.join('\n')}\n`;
}
