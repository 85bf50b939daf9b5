import { z } from 'zod';

/**
 * The engine's own small client for RabbitMQ's management HTTP API: queue depths, consumers and
 * message rates for the Queues screen and the metrics. `main/` may not import the workers' client
 * (DESIGN.md section 2), and the engine needs other fields (rates), so this one reads just those.
 * Every response is validated; the numbers lag the broker by its sampling interval (5 s default).
 */

const RateDetails = z.object({ rate: z.number() }).loose();
const MessageStats = z
  .object({
    publish_details: RateDetails.optional(),
    deliver_get_details: RateDetails.optional(),
    ack_details: RateDetails.optional(),
  })
  .loose();

export const ManagedQueue = z.object({
  name: z.string(),
  type: z.string().optional(),
  state: z.string().optional(),
  messages: z.number().optional(),
  messages_ready: z.number().optional(),
  messages_unacknowledged: z.number().optional(),
  consumers: z.number().optional(),
  message_stats: MessageStats.optional(),
});
export type ManagedQueue = z.infer<typeof ManagedQueue>;

export class ManagementError extends Error {
  override readonly name = 'ManagementError';
}

export interface ManagementClient {
  /** Queues of the vhost whose name starts with `prefix`. */
  queues(prefix: string): Promise<ManagedQueue[]>;
}

const COLUMNS = 'name,type,state,messages,messages_ready,messages_unacknowledged,consumers,message_stats';

/** `url` like `http://user:pass@127.0.0.1:15672`; credentials go into the Authorization header only. */
export const createManagementClient = (url: string, options: { vhost?: string; timeoutMs?: number } = {}): ManagementClient => {
  const parsed = new URL(url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  const base = parsed.toString().replace(/\/$/, '');
  // Shown in errors: the address without credentials.
  const where = base;
  const vhost = encodeURIComponent(options.vhost ?? '/');
  const timeoutMs = options.timeoutMs ?? 5_000;

  return {
    async queues(prefix) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/queues/${vhost}?columns=${COLUMNS}`, { headers: { authorization: auth }, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
        throw new ManagementError(`The RabbitMQ management API at ${where} is unreachable (${reason}); check RABBITMQ_MANAGEMENT_URL and that the rabbitmq_management plugin is enabled.`);
      }
      if (response.status === 401) throw new ManagementError(`The RabbitMQ management API at ${where} refused the credentials (401); fix the user and password in RABBITMQ_MANAGEMENT_URL.`);
      if (!response.ok) throw new ManagementError(`The RabbitMQ management API at ${where} answered ${response.status}; check the broker's log.`);
      const body = z.array(ManagedQueue).safeParse(await response.json());
      if (!body.success) throw new ManagementError(`The RabbitMQ management API at ${where} sent queue data Sluice cannot read; is it a RabbitMQ 3.x management API?`);
      return body.data.filter((q) => q.name.startsWith(prefix));
    },
  };
};
