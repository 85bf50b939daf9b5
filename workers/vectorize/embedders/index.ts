import { embedderId, type EmbeddingSettings } from '../../../shared/vectors/settings';
import type { Embedder } from './embedder';
import { createLexicalEmbedder } from './lexical';
import { createOpenAiEmbedder, type OpenAiDeps } from './openai';

export type { Embedder } from './embedder';

/** The embedder the settings name (offline lexical, or an OpenAI-compatible endpoint). */
export const createEmbedder = (settings: EmbeddingSettings, deps: OpenAiDeps = {}): Embedder =>
  settings.provider === 'offline' ? createLexicalEmbedder(settings.dimensions, embedderId(settings)) : createOpenAiEmbedder(settings, embedderId(settings), deps);
