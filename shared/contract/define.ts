import type { z } from 'zod';

/**
 * The building blocks of the API contract. Every call and push event is declared once with zod
 * schemas; the Electron IPC gate, the preload bridge, the HTTP/WebSocket transport and the
 * renderer client are all derived from these declarations.
 */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for generated docs and error messages. */
  readonly summary: string;
  /** Mutating calls change state; read-only screens may route the others to a replica. */
  readonly mutates: boolean;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> =>
  def;

export const defineEvent = <P extends z.ZodType>(def: EventDef<P>): EventDef<P> => def;
