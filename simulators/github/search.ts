/**
 * `GET /search/repositories`: the qualifiers the connectors use (`org:`/`user:`, `<word> in:name`, `OR`,
 * `pushed:` ranges, `language:`, `archived:`), sort by updated/stars, and the 1000-result cap.
 */
import type { GithubRepository } from '../world/types';

export class SearchQueryError extends Error {}

interface Term {
  text: string;
  inName: boolean;
}

function dateTest(expr: string): (iso: string) => boolean {
  const range = /^(\d{4}-\d{2}-\d{2}(?:T[\d:]+Z?)?)\.\.(\d{4}-\d{2}-\d{2}(?:T[\d:]+Z?)?|\*)$/.exec(expr);
  if (range) {
    const a = Date.parse(range[1] as string);
    const b = range[2] === '*' ? Infinity : Date.parse(range[2] as string) + (/T/.test(range[2] as string) ? 0 : 86_399_999);
    return (iso) => Date.parse(iso) >= a && Date.parse(iso) <= b;
  }
  const cmp = /^(>=|<=|>|<)?(\d{4}-\d{2}-\d{2}(?:T[\d:]+Z?)?)$/.exec(expr);
  if (!cmp) throw new SearchQueryError(`The date qualifier "${expr}" is not valid; use YYYY-MM-DD, >=YYYY-MM-DD or A..B.`);
  const t = Date.parse(cmp[2] as string);
  const op = cmp[1] ?? '=';
  return (iso) => {
    const v = Date.parse(iso);
    return op === '>' ? v > t : op === '>=' ? v >= t : op === '<' ? v < t : op === '<=' ? v <= t : Math.floor(v / 86_400_000) === Math.floor(t / 86_400_000);
  };
}

export function searchRepositories(repos: readonly GithubRepository[], q: string, sort?: string, order?: string): GithubRepository[] {
  if (!q.trim()) throw new SearchQueryError('The q parameter is required and cannot be empty.');
  const owners: string[] = [];
  const filters: ((r: GithubRepository) => boolean)[] = [];
  const terms: Term[] = [];
  const words = q.match(/"[^"]*"|\S+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as string).replace(/^"|"$/g, '');
    const m = /^([a-z_-]+):(.*)$/i.exec(w);
    if (w.toUpperCase() === 'OR' || w.toUpperCase() === 'AND') continue;
    if (m && m[1] !== undefined && m[2] !== undefined) {
      const key = m[1].toLowerCase();
      const value = m[2];
      if (key === 'org' || key === 'user') owners.push(value.toLowerCase());
      else if (key === 'in') {
        const last = terms[terms.length - 1];
        if (last && value === 'name') last.inName = true;
      } else if (key === 'pushed' || key === 'created' || key === 'updated') {
        const test = dateTest(value);
        filters.push((r) => test(String(r[`${key}_at`] ?? '')));
      } else if (key === 'language') filters.push((r) => String(r.language ?? '').toLowerCase() === value.toLowerCase());
      else if (key === 'archived') filters.push((r) => String(r.archived) === value);
      else if (key === 'fork' || key === 'is' || key === 'sort') continue;
      else throw new SearchQueryError(`The qualifier "${key}:" is not supported by the Sluice GitHub simulator.`);
    } else terms.push({ text: w.toLowerCase(), inName: false });
  }
  // Terms are OR-ed, as the connector batches `p1 in:name OR p2 in:name`.
  let out = repos.filter(
    (r) =>
      (owners.length === 0 || owners.includes(String((r.owner as { login?: string } | undefined)?.login ?? '').toLowerCase())) &&
      filters.every((f) => f(r)) &&
      (terms.length === 0 || terms.some((t) => r.name.toLowerCase().includes(t.text) || (!t.inName && String(r.description ?? '').toLowerCase().includes(t.text)))),
  );
  const dir = order === 'asc' ? 1 : -1;
  if (sort === 'updated') out = [...out].sort((a, b) => (Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at))) * dir || a.id - b.id);
  else if (sort === 'stars') out = [...out].sort((a, b) => (Number(a.stargazers_count) - Number(b.stargazers_count)) * dir || a.id - b.id);
  return out;
}
