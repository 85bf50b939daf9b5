import { describe, expect, it } from 'vitest';

import { createLexicalEmbedder, features, hash32, lexicalVector, tokenize } from './lexical';

const cosine = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

describe('offline lexical embedder', () => {
  it('is deterministic, of the asked size and L2-normalised', async () => {
    const e = createLexicalEmbedder(384, 'offline-lexical-v1/384');
    const [a, b] = await e.embed(['Deploy the billing service', 'Deploy the billing service']);
    expect(a).toHaveLength(384);
    expect(a).toEqual(b);
    expect(norm(a!)).toBeCloseTo(1, 12);
    expect(lexicalVector('Deploy the billing service', 64)).toHaveLength(64);
    // A stable hash: the same text gives the same vector in every process (no seed, no Math.random).
    expect(hash32('w:billing')).toBe(hash32('w:billing'));
    expect(hash32('w:billing')).not.toBe(hash32('w:billings'));
  });

  it('ranks texts sharing words above unrelated ones, and shared word forms above nothing', () => {
    const q = lexicalVector('login page times out', 384);
    const near = lexicalVector('PROJ-4 Login page times out after SSO redirect', 384);
    const far = lexicalVector('Quarterly revenue report export to spreadsheet', 384);
    expect(cosine(q, near)).toBeGreaterThan(0.4);
    expect(cosine(q, near)).toBeGreaterThan(cosine(q, far) + 0.3);
    // Trigrams: "deployment" shares something with "deploy", "invoice" nothing.
    const deploy = lexicalVector('deploy', 384);
    expect(cosine(deploy, lexicalVector('deployment', 384))).toBeGreaterThan(cosine(deploy, lexicalVector('invoice', 384)));
  });

  it('folds case and accents, drops stopwords, and still gives a direction to a text without words', () => {
    expect(tokenize('The Café, of RÉSUMÉS!')).toEqual(['cafe', 'resumes']);
    expect([...features('a b').keys()]).toEqual(['w:b']);
    const empty = lexicalVector('!!! ---', 32);
    expect(norm(empty)).toBeCloseTo(1, 12);
    expect(empty[0]).toBe(1);
  });
});
