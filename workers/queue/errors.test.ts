import { describe, expect, it } from 'vitest';

import { isInfrastructureOutage, PermanentError } from './errors';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('isInfrastructureOutage', () => {
  it('recognises Postgres and RabbitMQ being away, directly or as a cause', () => {
    expect(isInfrastructureOutage(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isInfrastructureOutage(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isInfrastructureOutage(withCode('connection failure', '08006'))).toBe(true);
    expect(isInfrastructureOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isInfrastructureOutage(Object.assign(new Error('Message m was not confirmed by RabbitMQ (closed)'), { name: 'PublishNotConfirmedError' }))).toBe(true);
    expect(isInfrastructureOutage(new Error('Bulk upsert into work_items failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') }))).toBe(true);
  });

  it('does not excuse bad data, bugs or permanent errors', () => {
    expect(isInfrastructureOutage(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isInfrastructureOutage(withCode('invalid input syntax for type timestamp', '22007'))).toBe(false);
    expect(isInfrastructureOutage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isInfrastructureOutage(new PermanentError('the payload breaks its contract'))).toBe(false);
    expect(isInfrastructureOutage('ECONNREFUSED')).toBe(false);
  });
});
