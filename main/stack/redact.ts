/** Replaces the password in a URL's userinfo with `***`; leaves anything that is not a URL untouched. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.password) return url;
  parsed.password = '***';
  return parsed.toString();
}

/** Builds `scheme://user:password@127.0.0.1:port/path` with userinfo percent-encoded. */
export function urlWith(scheme: string, user: string, password: string, port: number, path = '', host = '127.0.0.1'): string {
  const auth = user ? `${encodeURIComponent(user)}${password ? ':' + encodeURIComponent(password) : ''}@` : '';
  return `${scheme}://${auth}${host}:${port}${path}`;
}

/**
 * Management API URL for an external broker: same host and credentials as the AMQP URL, port 15672,
 * http (https when the AMQP URL is amqps). Matches what RabbitMQ's management plugin uses by default.
 */
export function deriveManagementUrl(amqpUrl: string): string {
  const u = new URL(amqpUrl);
  const scheme = u.protocol === 'amqps:' ? 'https' : 'http';
  const auth = u.username ? `${u.username}${u.password ? ':' + u.password : ''}@` : 'guest:guest@';
  return `${scheme}://${auth}${u.hostname}:15672`;
}
