/**
 * The bounded JQL subset the connectors use, parsed for real (not pattern-matched) so that a query the
 * simulator cannot answer fails loudly instead of returning wrong data:
 *   clause   := field op value | '(' clauses ')'
 *   clauses  := clause (AND clause)*
 *   field    := project | key | issuekey | issuetype | status | updated | created | resolutiondate
 *   op       := = | != | IN | NOT IN | > | >= | < | <=
 *   query    := [clauses] [ORDER BY field [ASC|DESC] (, field [ASC|DESC])*]
 * Dates are 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd HH:mm' (read as UTC) or relative (-7d, -2h, -30m, -1w).
 */
import type { JiraIssue, JsonObject } from '../world/types';
import { parseJiraTime } from '../generator/time';
import { JqlError } from './errors';

type Tok = { t: 'word' | 'str' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c === '(' ? 'lp' : c === ')' ? 'rp' : 'comma', v: c });
      i++;
    }
    else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${i + 1} is not closed.`);
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if ('=!<>~'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = ['>=', '<=', '!=', '!~'].includes(two) ? two : c;
      out.push({ t: 'op', v: op });
      i += op.length;
    } else {
      const m = /^[^\s(),=!<>~"']+/.exec(src.slice(i));
      const w = m?.[0] ?? c;
      out.push({ t: 'word', v: w });
      i += w.length;
    }
  }
  return out;
}

export type Predicate = (issue: JiraIssue) => boolean;
export interface OrderItem {
  field: 'updated' | 'created' | 'key' | 'id' | 'resolutiondate';
  desc: boolean;
}
export interface CompiledJql {
  predicate: Predicate;
  /** Project keys or ids named by `project` clauses, to check that they exist. */
  projects: string[];
  order: OrderItem[];
}

const FIELDS = new Set(['project', 'key', 'issuekey', 'issuetype', 'type', 'status', 'updated', 'created', 'resolutiondate', 'resolved']);
const DATE_FIELDS = new Set(['updated', 'created', 'resolutiondate', 'resolved']);

export function parseJqlDate(text: string, now = Date.now()): number {
  const rel = /^-?(\d+)([wdhm])$/.exec(text.trim());
  if (rel) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2] as 'w' | 'd' | 'h' | 'm'];
    return now - Number(rel[1]) * unit * (text.trim().startsWith('-') ? 1 : -1);
  }
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m) throw new JqlError(`Error in the JQL Query: Date value '${text}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

function fieldValue(issue: JiraIssue, field: string): { text: string[]; time: number } {
  const f = issue.fields;
  switch (field) {
    case 'project': {
      const p = f.project as JsonObject | undefined;
      return { text: [String(p?.key ?? '').toUpperCase(), String(p?.id ?? '')], time: Number.NaN };
    }
    case 'key':
    case 'issuekey':
      return { text: [issue.key.toUpperCase(), issue.id], time: Number.NaN };
    case 'issuetype':
    case 'type': {
      const t = f.issuetype as JsonObject | undefined;
      return { text: [String(t?.name ?? '').toUpperCase(), String(t?.id ?? '')], time: Number.NaN };
    }
    case 'status': {
      const s = f.status as JsonObject | undefined;
      return { text: [String(s?.name ?? '').toUpperCase(), String(s?.id ?? '')], time: Number.NaN };
    }
    default:
      return { text: [], time: parseJiraTime(f[field === 'resolved' ? 'resolutiondate' : field]) };
  }
}

export function compileJql(jql: string, now = Date.now()): CompiledJql {
  const toks = tokenize(jql);
  let i = 0;
  const peek = () => toks[i];
  const word = (w: string) => peek()?.t === 'word' && peek()?.v.toUpperCase() === w;
  const projects: string[] = [];

  const value = (): string => {
    const t = toks[i++];
    if (!t || (t.t !== 'word' && t.t !== 'str')) throw new JqlError(`Error in the JQL Query: Expecting a value but got '${t?.v ?? 'end of query'}'.`);
    return t.v;
  };
  const clause = (): Predicate => {
    if (peek()?.t === 'lp') {
      i++;
      const p = clauses();
      if (peek()?.t !== 'rp') throw new JqlError("Error in the JQL Query: Expecting ')' before the end of the query.");
      i++;
      return p;
    }
    const f = toks[i++];
    if (!f || f.t !== 'word') throw new JqlError(`Error in the JQL Query: Expecting a field name but got '${f?.v ?? 'end of query'}'.`);
    const field = f.v.toLowerCase();
    if (!FIELDS.has(field)) throw new JqlError(`Field '${f.v}' is not supported by the Sluice Jira simulator (supported: ${[...FIELDS].join(', ')}).`);
    let op: string;
    if (word('NOT')) {
      i++;
      if (!word('IN')) throw new JqlError("Error in the JQL Query: Expecting 'IN' after 'NOT'.");
      i++;
      op = 'NOT IN';
    } else if (word('IN')) {
      i++;
      op = 'IN';
    } else if (peek()?.t === 'op') op = (toks[i++] as Tok).v;
    else throw new JqlError(`Error in the JQL Query: Expecting an operator after '${f.v}'.`);
    let values: string[];
    if (op === 'IN' || op === 'NOT IN') {
      if (peek()?.t !== 'lp') throw new JqlError(`Error in the JQL Query: Expecting '(' after '${op}'.`);
      i++;
      values = [value()];
      while (peek()?.t === 'comma') {
        i++;
        values.push(value());
      }
      if (peek()?.t !== 'rp') throw new JqlError("Error in the JQL Query: Expecting ')' to close the list.");
      i++;
    } else values = [value()];
    if (field === 'project') projects.push(...values);
    if (DATE_FIELDS.has(field)) {
      if (!['>', '>=', '<', '<=', '=', '!='].includes(op)) throw new JqlError(`The operator '${op}' is not supported for the field '${field}'.`);
      const at = parseJqlDate(values[0] as string, now);
      return (issue) => {
        const t = fieldValue(issue, field).time;
        if (Number.isNaN(t)) return false;
        return op === '>' ? t > at : op === '>=' ? t >= at : op === '<' ? t < at : op === '<=' ? t <= at : op === '=' ? t === at : t !== at;
      };
    }
    if (!['=', '!=', 'IN', 'NOT IN'].includes(op)) throw new JqlError(`The operator '${op}' is not supported for the field '${field}'.`);
    const wanted = new Set(values.map((v) => v.toUpperCase()));
    const negate = op === '!=' || op === 'NOT IN';
    return (issue) => fieldValue(issue, field).text.some((t) => wanted.has(t)) !== negate;
  };
  const clauses = (): Predicate => {
    const parts = [clause()];
    while (word('AND')) {
      i++;
      parts.push(clause());
    }
    if (word('OR')) throw new JqlError("OR is not supported by the Sluice Jira simulator; use 'IN (...)' lists.");
    return parts.length === 1 ? (parts[0] as Predicate) : (x) => parts.every((p) => p(x));
  };

  const restricted = i < toks.length && !word('ORDER');
  const predicate = restricted ? clauses() : null;
  const order: OrderItem[] = [];
  if (word('ORDER')) {
    i++;
    if (!word('BY')) throw new JqlError("Error in the JQL Query: Expecting 'BY' after 'ORDER'.");
    i++;
    do {
      if (peek()?.t === 'comma') i++;
      const f = toks[i++];
      const field = f?.v.toLowerCase();
      if (field !== 'updated' && field !== 'created' && field !== 'key' && field !== 'id' && field !== 'resolutiondate') {
        throw new JqlError(`Ordering by '${f?.v ?? ''}' is not supported by the Sluice Jira simulator (use updated, created, key or id).`);
      }
      let desc = false;
      if (word('ASC') || word('DESC')) desc = (toks[i++] as Tok).v.toUpperCase() === 'DESC';
      order.push({ field, desc });
    } while (peek()?.t === 'comma');
  }
  if (i < toks.length) throw new JqlError(`Error in the JQL Query: The token '${toks[i]?.v}' was not expected here.`);
  if (!predicate) throw new JqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  return { predicate, projects, order };
}

function orderKey(issue: JiraIssue, field: OrderItem['field']): number {
  if (field === 'key') return Number(issue.key.split('-').pop());
  if (field === 'id') return Number(issue.id);
  return parseJiraTime(issue.fields[field]) || 0;
}

/** Sorts in place by the ORDER BY items, then by id for a stable order between pages. */
export function sortIssues(list: JiraIssue[], order: readonly OrderItem[]): JiraIssue[] {
  const items = [...order, { field: 'id' as const, desc: false }];
  const keyed = list.map((issue) => ({ issue, keys: items.map((o) => orderKey(issue, o.field)), prj: String((issue.fields.project as JsonObject | undefined)?.key ?? '') }));
  keyed.sort((a, b) => {
    for (let k = 0; k < items.length; k++) {
      const item = items[k] as OrderItem;
      if (item.field === 'key' && a.prj !== b.prj) return (a.prj < b.prj ? -1 : 1) * (item.desc ? -1 : 1);
      const d = (a.keys[k] as number) - (b.keys[k] as number);
      if (d !== 0) return item.desc ? -d : d;
    }
    return 0;
  });
  return keyed.map((k) => k.issue);
}
