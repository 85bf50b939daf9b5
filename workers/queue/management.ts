import { z } from 'zod';

/**
 * A small client for the RabbitMQ management HTTP API (plugin `rabbitmq_management`): queue depths
 * for the console's queues screen, connection listing and closing (operators, and tests that
 * simulate a broker dropping a worker), and removal of a namespace's queues (test cleanup, uninstall).
 * Responses are validated; only the fields we use are kept.
 */

const QueueInfo = z.object({
  name: z.string(),
  vhost: z.string(),
  type: z.string().optional(),
  messages: z.number().optional(),
  messages_ready: z.number().optional(),
  messages_unacknowledged: z.number().optional(),
  consumers: z.number().optional(),
});
export type QueueInfo = z.infer<typeof QueueInfo>;

const ConnectionInfo = z.object({
  name: z.string(),
  client_properties: z.object({ connection_name: z.string().optional() }).loose().optional(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

const ExchangeInfo = z.object({ name: z.string(), vhost: z.string() });

export class RabbitManagement {
  private readonly base: string;
  private readonly auth: string;
  private readonly vhost: string;

  /** `url` like `http://user:pass@127.0.0.1:15672`; `vhost` defaults to `/`. */
  constructor(url: string, vhost = '/') {
    const parsed = new URL(url);
    this.auth = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    this.base = parsed.toString().replace(/\/$/, '');
    this.vhost = encodeURIComponent(vhost);
  }

  async queues(namePrefix = ''): Promise<QueueInfo[]> {
    const all = z.array(QueueInfo).parse(await this.request('GET', `/api/queues/${this.vhost}?columns=name,vhost,type,messages,messages_ready,messages_unacknowledged,consumers`));
    return all.filter((q) => q.name.startsWith(namePrefix));
  }

  async queue(name: string): Promise<QueueInfo> {
    return QueueInfo.parse(await this.request('GET', `/api/queues/${this.vhost}/${encodeURIComponent(name)}`));
  }

  async connections(): Promise<ConnectionInfo[]> {
    return z.array(ConnectionInfo).parse(await this.request('GET', '/api/connections'));
  }

  /** Closes every connection whose client-side `connection_name` is `connectionName`; returns how many. */
  async closeConnectionsNamed(connectionName: string, reason = 'closed by Sluice'): Promise<number> {
    const matches = (await this.connections()).filter((c) => c.client_properties?.connection_name === connectionName);
    for (const c of matches) {
      await this.request('DELETE', `/api/connections/${encodeURIComponent(c.name)}`, undefined, { 'X-Reason': reason });
    }
    return matches.length;
  }

  /** Deletes every queue and exchange whose name starts with `namePrefix` (must be non-empty). */
  async deleteByPrefix(namePrefix: string): Promise<{ queues: number; exchanges: number }> {
    if (!namePrefix) throw new Error('Refusing to delete every queue: give a non-empty name prefix.');
    const queues = await this.queues(namePrefix);
    for (const q of queues) await this.request('DELETE', `/api/queues/${this.vhost}/${encodeURIComponent(q.name)}`);
    const exchanges = z
      .array(ExchangeInfo)
      .parse(await this.request('GET', `/api/exchanges/${this.vhost}?columns=name,vhost`))
      .filter((e) => e.name.startsWith(namePrefix));
    for (const e of exchanges) await this.request('DELETE', `/api/exchanges/${this.vhost}/${encodeURIComponent(e.name)}`);
    return { queues: queues.length, exchanges: exchanges.length };
  }

  private async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: this.auth, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 404 && method === 'DELETE') return null; // already gone
    if (!response.ok) {
      throw new Error(`RabbitMQ management API ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    }
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : null;
  }
}
