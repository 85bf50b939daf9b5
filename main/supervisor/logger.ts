/** The few logger methods the supervisor uses; a pino logger fits. */
export interface SupervisorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentSupervisorLogger: SupervisorLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
