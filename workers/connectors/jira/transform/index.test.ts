import { describe, expect, it } from 'vitest';

import type { TransformContext } from '../../../pipeline/connector';
import { TransformOutput } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { EMPTY_MAPPINGS, mappingsOf, transformJira } from './index';
import { MAPPINGS, STATUS } from './testing';

const ctx = (stream: string, partition: string | null = null, mappings: unknown = MAPPINGS): TransformContext => ({
  tenantId: 1,
  integrationId: 2,
  step: stream,
  stream,
  partition,
  integration: { id: 2, tenantId: 1, provider: 'jira', baseUrl: 'http://x', settings: {} },
  mappings,
});

describe('transformJira', () => {
  it('dispatches on the stream and returns output the pipeline accepts', () => {
    const out = transformJira([STATUS.backlog], ctx('statuses'));
    expect(TransformOutput.parse(out)).toEqual(out);
    expect(out.tables.statuses).toHaveLength(1);
    expect(transformJira([], ctx('project_statuses', 'ENG')).tables.replaced_sets).toEqual([{ table: 'projects_statuses', value: 'ENG' }]);
  });

  it('refuses an unknown stream and a malformed mappings snapshot', () => {
    expect(() => transformJira({}, ctx('worklogs'))).toThrow(PermanentError);
    expect(() => transformJira([], ctx('statuses', null, { wits: 'nope' }))).toThrow(/mappings snapshot is malformed/);
  });

  it('reads no mappings as everything unmapped', () => {
    expect(mappingsOf(undefined)).toEqual(EMPTY_MAPPINGS);
    const { mappings: _none, ...noMappings } = ctx('statuses');
    expect(transformJira([STATUS.backlog], noMappings).tables.statuses?.[0]).toMatchObject({ status_mapped: false, workflow_category: 'To Do' });
  });
});
