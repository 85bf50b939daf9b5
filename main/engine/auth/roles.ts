import { methods, type MethodName } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import { type Role, roleAllows, withArticle } from '../../../shared/contract/roles';
import type { CallContext } from '../types';

/**
 * The caller's role. Console transports always set one; a console call that somehow lacks it is
 * treated as the weakest role rather than trusted. The CLI and tests run on this machine with its
 * database credentials, which already allow everything, so they default to admin.
 */
export const roleOf = (ctx: CallContext): Role => ctx.role ?? (ctx.transport === 'cli' || ctx.transport === 'test' ? 'admin' : 'viewer');

/**
 * Refuses a call the caller's role does not cover, before its input is even parsed (a viewer learns
 * nothing from probing a write's validation). The message says what is needed and what to do.
 */
export const authorize = (method: MethodName, ctx: CallContext): void => {
  const need = methods[method].role;
  const have = roleOf(ctx);
  if (roleAllows(have, need)) return;
  throw new ApiError(
    'forbidden',
    `${method} needs the ${need} role, and ${ctx.principal} is ${withArticle(have)}: ask an admin of this Sluice to give you the ${need} role, or sign in as a user who has it.`,
  );
};
