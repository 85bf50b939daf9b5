/**
 * The pipeline's messaging layer. Typical worker wiring:
 *
 * ```ts
 * const topology = createTopology();                       // shared/queue/topology
 * const connection = new QueueConnection({ url, topology, name: 'sluice-worker transform' });
 * await connection.start();
 * const publisher = new Publisher(connection);
 * const consumer = new StageConsumer(connection, publisher, { stage: 'transform', prefetch: 10, handler });
 * await consumer.start();
 * // shutdown: await consumer.stop(); await publisher.close(); await connection.close();
 * ```
 */
export { QueueConnection, declareTopology, backoffDelay, type ConnectionState, type StateChange, type QueueConnectionOptions } from './connection';
export { Publisher, PublishNotConfirmedError, standardHeaders, type PublishOptions, type PublisherOptions } from './publisher';
export { StageConsumer, type ConsumerOptions, type ConsumerStats, type HandlerContext, type StageHandler } from './consumer';
export { DeadLetters, type DeadLetterActionResult, type DeadLetterList } from './dead-letters';
export { RetryableError, PermanentError } from './errors';
export { RabbitManagement, type QueueInfo, type ConnectionInfo } from './management';
