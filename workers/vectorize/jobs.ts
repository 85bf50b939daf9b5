import { VECTORIZE_MESSAGE_VERSION, type LoadMessage, type VectorizeMessage } from '../../shared/queue/messages';

/** The job load publishes after a unit (ids only): the vectorize stage embeds the rows that unit wrote. */
export const unitJob = (m: LoadMessage): VectorizeMessage => ({
  v: VECTORIZE_MESSAGE_VERSION,
  kind: 'vectorize',
  op: 'unit',
  tenantId: m.tenantId,
  integrationId: m.integrationId,
  runId: m.runId,
  stepKey: m.stepKey,
  rawId: m.rawId,
  attempt: 1,
});
