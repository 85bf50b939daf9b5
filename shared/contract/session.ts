import { z } from 'zod';

import { defineEvent, defineMethod } from './define';
import { ProfileId, ProfileKind } from './profiles';
import { Role } from './roles';

/**
 * Who the console is talking as, and against what. The console reads `role` (with `canCall` from
 * api.ts) to hide what this session cannot do; the engine enforces it anyway on every call. The
 * event carries no identity (it goes to every console), only a reason to ask again.
 */
export const ReplicaState = z.object({
  /** none: no replica configured; up: read-only calls use it; down: they use the primary for now. */
  state: z.enum(['none', 'up', 'down']),
  /** Where, credentials removed. */
  target: z.string().nullable(),
  message: z.string().nullable(),
});
export type ReplicaState = z.infer<typeof ReplicaState>;

export const SessionInfo = z.object({
  principal: z.string(),
  role: Role,
  mode: z.enum(['desktop', 'headless']),
  /** The active connection profile, shown in the title bar. */
  profile: z.object({ id: ProfileId, name: z.string(), kind: ProfileKind }).nullable(),
  /** Set when the active profile could not start the engine: what happened and what to do. */
  profileError: z.string().nullable(),
  /** True on a fresh desktop with no profile chosen yet: show the first-run wizard. */
  firstRun: z.boolean(),
  replica: ReplicaState,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const sessionMethods = {
  'session.info': defineMethod({
    summary: 'The signed-in principal and role, the active profile and the read replica state',
    mutates: false,
    input: z.strictObject({}),
    output: SessionInfo,
  }),
};

export const sessionEvents = {
  'session.changed': defineEvent({
    summary: 'The active profile changed (the engine restarted) or the read replica went down or came back: call session.info again',
    payload: z.object({ reason: z.enum(['profile', 'replica']), at: z.string() }),
  }),
};
