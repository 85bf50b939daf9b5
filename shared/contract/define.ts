import type { z } from 'zod';

import type { Role } from './roles';

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
  /** The least role allowed to call it; the engine refuses anyone below (see shared/contract/roles.ts). */
  readonly role: Role;
}

/** What a domain file writes: `role` may be left out and then follows `mutates`. */
export type MethodSpec<I extends z.ZodType, O extends z.ZodType> = Omit<MethodDef<I, O>, 'role'> & { readonly role?: Role };

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

/**
 * Declares a method. Without an explicit `role`, reads need `viewer` and writes need `admin`: a new
 * mutating method is closed to operators until its author says otherwise (least privilege by default).
 */
export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodDef<I, O> => ({
  ...spec,
  role: spec.role ?? (spec.mutates ? 'admin' : 'viewer'),
});

export const defineEvent = <P extends z.ZodType>(def: EventDef<P>): EventDef<P> => def;
