/**
 * An embedding provider: texts in, one vector per text out, in order. `id` names the model and size
 * (shared/vectors/settings.ts `embedderId`), stored with every vector so a change of embedder is seen.
 */
export interface Embedder {
  readonly id: string;
  /** Throws on failure: a `PermanentError` when retrying cannot help (bad input, wrong size), else a retryable one. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}
