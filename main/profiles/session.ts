import type { ReplicaState } from '../../shared/contract/session';
import { roleOf } from '../engine/auth/roles';
import type { Handler } from '../engine/types';
import type { ProfileService } from './service';

/** session.info: who the caller is (from the transport), the active profile and the replica. */
export const sessionHandler =
  (profiles: ProfileService, replica: () => ReplicaState): Handler<'session.info'> =>
  (_input, ctx) => {
    const active = profiles.active();
    return Promise.resolve({
      principal: ctx.principal,
      role: roleOf(ctx),
      mode: profiles.mode,
      profile: active ? { id: active.id, name: active.name, kind: active.kind } : null,
      profileError: active?.error ?? null,
      firstRun: profiles.firstRun(),
      replica: replica(),
    });
  };
