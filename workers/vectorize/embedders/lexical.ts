import type { Embedder } from './embedder';

/**
 * The built-in offline embedder: no model, no download, no network, the same vector for the same text
 * on every machine. It is **lexical**: a text becomes a bag of features (its words, pairs of adjacent
 * words, and character trigrams of each word, so "deploy" and "deployment" share something) hashed
 * into a fixed number of signed buckets (the "hashing trick"), weighted by kind and 1 + log(tf), and L2-normalised.
 * Cosine similarity of two vectors then measures shared vocabulary, not shared meaning; the console
 * says so. It exists for demos and tests, and as a working default where no model is available.
 */

/** Very common English words carry no signal and would dominate short texts. */
const STOPWORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'that', 'the', 'this', 'to', 'was', 'with']);

const WORD = 1;
const PAIR = 0.5;
const TRIGRAM = 0.25;

/** FNV-1a over UTF-16 code units, then a final avalanche (murmur3 fmix32) so nearby strings spread. */
export const hash32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Lower case, accents folded (é → e), split on anything that is not a letter or a digit. */
export const tokenize = (text: string): string[] =>
  (text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOPWORDS.has(t));

/** Feature → its kind's weight and how often it occurs; prefixes keep the kinds apart in the hash space. */
export const features = (text: string): Map<string, { weight: number; count: number }> => {
  const out = new Map<string, { weight: number; count: number }>();
  const add = (f: string, weight: number): void => {
    const seen = out.get(f);
    if (seen) seen.count += 1;
    else out.set(f, { weight, count: 1 });
  };
  const words = tokenize(text);
  words.forEach((w, i) => {
    add(`w:${w}`, WORD);
    if (i > 0) add(`p:${words[i - 1]} ${w}`, PAIR);
    const padded = `<${w}>`;
    if (padded.length > 4) for (let j = 0; j + 3 <= padded.length; j++) add(`t:${padded.slice(j, j + 3)}`, TRIGRAM);
  });
  return out;
};

export const lexicalVector = (text: string, dimensions: number): number[] => {
  const v = new Float64Array(dimensions);
  for (const [feature, { weight, count }] of features(text)) {
    const h = hash32(feature);
    // The top bit picks the sign, so unrelated features cancel out on average instead of piling up.
    const sign = h & 0x80000000 ? -1 : 1;
    // Sub-linear in the count: a word said ten times is not ten times the topic.
    v[h % dimensions]! += sign * weight * (1 + Math.log(count));
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  // A text with no words (only punctuation) still needs a direction for cosine: one fixed bucket.
  if (norm === 0) {
    v[0] = 1;
    norm = 1;
  }
  return Array.from(v, (x) => x / norm);
};

export const createLexicalEmbedder = (dimensions: number, id: string): Embedder => ({
  id,
  embed: async (texts) => texts.map((t) => lexicalVector(t, dimensions)),
});
