import type pg from 'pg';

import { settingsSchemaFor } from '../../../shared/connectors/settings';
import { ApiError } from '../../../shared/contract/errors';
import type { MethodParsedInput } from '../../../shared/contract/api';
import type { SecretKey } from '../../../shared/lib/secret-box';
import type { TaskConnection } from '../../../shared/worker-protocol/tasks';
import { withTenant } from '../db/tenant-scope';
import { getIntegration } from './rows';
import { readToken } from './secrets';

type ParsedTarget = MethodParsedInput<'integrations.testConnection'>;

/**
 * What a task thread needs to call the provider: the saved integration as stored, or the form's
 * values, with the typed token or else the saved one. Stored settings are re-validated, so a row
 * written by an older version fails here with a clear message instead of inside the connector.
 */
export const resolveConnection = async (pool: pg.Pool, tenantId: number, target: ParsedTarget, key: () => SecretKey): Promise<TaskConnection> => {
  const saved = target.integrationId === null ? null : await withTenant(pool, tenantId, (c) => getIntegration(c, target.integrationId!));
  const draft = target.draft;
  if (draft) {
    if (saved && saved.provider !== draft.provider) {
      throw new ApiError('bad_request', `"${saved.name}" is a ${saved.provider} integration; its provider cannot change.`, [{ path: 'draft.provider', message: `must be ${saved.provider}` }]);
    }
    let token = draft.token;
    if (!token) {
      if (!saved) throw new ApiError('bad_request', 'Enter the API token to test an integration that is not saved yet.', [{ path: 'token', message: 'enter the API token' }]);
      token = await readToken(pool, tenantId, saved.id, key(), saved.name);
    }
    return { ...draft, token };
  }
  if (!saved) throw new ApiError('bad_request', 'Name a saved integration or send the form values.');
  const schema = settingsSchemaFor(saved.provider);
  const settings = schema?.safeParse(saved.settings);
  if (!settings?.success) {
    throw new ApiError('bad_request', `The stored settings of "${saved.name}" are not valid for ${saved.provider}; open it, fix the settings and save.`);
  }
  const token = await readToken(pool, tenantId, saved.id, key(), saved.name);
  return { provider: saved.provider, baseUrl: saved.baseUrl, settings: settings.data, token } as TaskConnection;
};
