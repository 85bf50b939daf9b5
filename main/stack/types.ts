/** A server started by this module, as tests and the stack see it. */
export interface RunningService {
  name: 'postgres' | 'rabbitmq' | 'redis';
  pid: number;
  /** Connection URL with credentials. */
  url: string;
  /** RabbitMQ only: management HTTP API base URL with credentials in userinfo. */
  managementUrl?: string;
  /** Stops exactly this server and waits for it to exit. */
  stop(): Promise<void>;
}

export type LogFn = (line: string) => void;
export const noLog: LogFn = () => undefined;
