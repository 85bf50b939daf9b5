/**
 * The GitHub connector's GraphQL documents against the simulator's served schema (the unit test next
 * to the documents checks them against GitHub's; a worker may not import the simulators). No server.
 */
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

import { SUBSET_SDL } from '../../simulators/github/graphql/schema';
import { ALL_QUERIES } from '../../workers/connectors/github/graphql/queries';

describe('GitHub connector documents on the simulator', () => {
  const subset = buildSchema(SUBSET_SDL);
  it.each(Object.entries(ALL_QUERIES))('%s is served by the simulator', (_name, query) => {
    expect(validate(subset, parse(query)).map((e) => e.message)).toEqual([]);
  });
});
