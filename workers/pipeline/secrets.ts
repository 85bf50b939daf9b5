import type pg from 'pg';

import { open, type SecretKey } from '../../shared/lib/secret-box';
import { PermanentError } from '../queue/errors';

/**
 * The integration's API token for extract, opened inside the worker thread from the sealed column
 * (never sent anywhere else: not in messages, not in logs). The opened value is cached per sealed
 * text, so rotating the token in the console takes effect on the next page.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export const secretKeysFrom = (keys: readonly { id: string; key: string }[]): SecretKey[] =>
  keys.map((k) => ({ id: k.id, bytes: new Uint8Array(Buffer.from(k.key, 'base64')) }));

export class IntegrationSecrets {
  private readonly cache = new Map<number, { sealed: string; plain: string }>();

  constructor(private readonly keys: readonly SecretKey[]) {}

  /** The token, or null when the integration has none set. */
  async secretOf(db: Queryable, integrationId: number): Promise<string | null> {
    const res = await db.query<{ secret_sealed: string | null }>('SELECT secret_sealed FROM integrations WHERE id = $1', [integrationId]);
    return this.open(integrationId, res.rows[0]?.secret_sealed ?? null);
  }

  /** The token from its sealed form as read with the run (see readExtractContext); null when none is set. */
  async open(integrationId: number, sealed: string | null): Promise<string | null> {
    if (sealed === null) return null;
    const hit = this.cache.get(integrationId);
    if (hit && hit.sealed === sealed) return hit.plain;
    if (this.keys.length === 0) {
      throw new PermanentError(`Integration ${integrationId} has a sealed token but this worker has no secret key; give every engine and worker host the same SLUICE_SECRET_KEY.`);
    }
    let plain: string;
    try {
      plain = await open(this.keys, sealed, `integration:${integrationId}`);
    } catch (error) {
      throw new PermanentError(`The token of integration ${integrationId} cannot be opened here: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.cache.set(integrationId, { sealed, plain });
    return plain;
  }
}
