import type { HandlerOptions } from '../../shared/worker-protocol/protocol';
import { forwardToNextStage } from './noop';
import type { HandlerDefinition } from './types';

/**
 * Handlers for tests only: they behave like `noop` but slow down or kill their thread on purpose, so
 * tests can prove that a crash loses nothing and that a graceful stop drains in-flight work.
 * Never select them in production; they are registered under a `test-` name so it shows.
 */

const num = (options: HandlerOptions, key: string, fallback: number): number => {
  const value = options[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** `test-slow`: waits `delayMs` (default 200) per message, then forwards it like `noop`. */
export const testSlow: HandlerDefinition = {
  stages: ['extract', 'transform', 'load', 'vectorize'],
  description: 'test only: noop after a delay (handlerOptions.delayMs)',
  create: (_stage, { publisher, settings }) => async (message, ctx) => {
    await sleep(num(settings.handlerOptions, 'delayMs', 200), ctx.signal);
    await forwardToNextStage(publisher, message, ctx);
  },
};

/**
 * `test-crash`: like `test-slow` (`delayMs`, default 5), but the thread dies with an uncaught error on
 * its first non-redelivered message from the `crashAfter`-th on (default 25). Others stay in flight
 * at that moment, which is the "killed mid-batch" case; their redelivery then succeeds.
 */
export const testCrash: HandlerDefinition = {
  stages: ['extract', 'transform', 'load', 'vectorize'],
  description: 'test only: kills its thread on the n-th first delivery (handlerOptions.crashAfter)',
  create: (_stage, { publisher, settings }) => {
    const crashAfter = num(settings.handlerOptions, 'crashAfter', 25);
    const delayMs = num(settings.handlerOptions, 'delayMs', 5);
    let seen = 0;
    return async (message, ctx) => {
      seen += 1;
      // `>=`, not `===`: when the n-th message happens to be a redelivery the thread must still die on
      // the next first delivery, or a test counting restarts would depend on delivery order.
      if (seen >= crashAfter && !ctx.redelivered) {
        // Thrown outside the handler's promise, so the consumer cannot catch it: the thread dies.
        setImmediate(() => {
          throw new Error(`test-crash: killed on purpose at message ${seen}`);
        });
        await new Promise(() => undefined); // never settles: this message stays unacked
      }
      await sleep(delayMs, ctx.signal);
      await forwardToNextStage(publisher, message, ctx);
    };
  },
};
