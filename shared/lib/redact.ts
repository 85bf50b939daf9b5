/**
 * Removes credentials from a connection URL so it can be shown or logged:
 * `amqp://guest:secret@host:5672/` → `amqp://guest:***@host:5672/`.
 * Strings that are not URLs come back unchanged.
 */
export const redactUrl = (value: string): string => {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(value);
  if (!match) return value;
  const [whole, scheme, userinfo] = match;
  const user = (userinfo ?? '').split(':')[0] ?? '';
  const masked = (userinfo ?? '').includes(':') ? `${user}:***` : user ? `${user}` : '';
  return `${scheme}${masked}@${value.slice((whole ?? '').length)}`;
};
