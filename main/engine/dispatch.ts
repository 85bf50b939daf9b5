import { isMethodName, methods, type MethodName } from '../../shared/contract/api';
import { ApiError } from '../../shared/contract/errors';
import { authorize } from './auth/roles';
import { withReadScope } from './db/replica';
import type { CallContext, Handlers } from './types';

/**
 * The one place where a call meets the contract: unknown methods, calls the caller's role does not
 * allow, bad input and handler output that breaks the contract all become ApiErrors here, whichever
 * transport the call came from.
 */
export const dispatch = async (handlers: Handlers, method: string, rawInput: unknown, ctx: CallContext): Promise<unknown> => {
  if (!isMethodName(method)) throw new ApiError('not_found', `Unknown API method "${method}".`);
  // The role check comes first: a refused caller gets no validation feedback about the method's input.
  authorize(method, ctx);
  const def = methods[method];
  const input = def.input.safeParse(rawInput ?? {});
  if (!input.success) throw ApiError.fromZod(`Invalid input for ${method}`, input.error);
  const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown>;
  // Read-only methods may run on the read replica (main/engine/db/replica.ts); writes never do.
  const output = await withReadScope(!def.mutates, () => handler(input.data, ctx));
  const checked = def.output.safeParse(output);
  if (!checked.success) {
    // A handler bug, not the caller's fault: report it as internal and keep the details for logs.
    throw new ContractViolation(method, checked.error.message);
  }
  return checked.data;
};

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly method: MethodName,
    detail: string,
  ) {
    super(`Handler for ${method} returned data that breaks the contract: ${detail}`);
  }
}
