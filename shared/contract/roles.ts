import { z } from 'zod';

/**
 * Who may do what (issue 11). Three roles, each including the one below it:
 * - `viewer`: reads everything the console shows, changes nothing;
 * - `operator`: runs the pipeline: run, pause, resume, cancel, re-transform, re-run, reprocess, inspect raw;
 * - `admin`: configures it: integrations, mappings, jobs, workers, tenants, retention.
 * Every contract method declares the least role it needs (see `defineMethod`); the engine checks it
 * on every call, whatever the transport, and the console reads the same declarations to hide what
 * the signed-in role cannot do.
 */
export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

/** True when `have` includes everything `need` may do. */
export const roleAllows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];

/** "an admin", "a viewer": for messages. */
export const withArticle = (role: Role): string => `${role === 'admin' || role === 'operator' ? 'an' : 'a'} ${role}`;
