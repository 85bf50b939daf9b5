/**
 * The payload viewer's model: a parsed JSON value shown as lines, where only expanded containers
 * contribute their children. A 10 MB payload is never one DOM tree (nor one array of every node):
 * the lines of what is open are computed here and a virtualized list draws the few on screen.
 * Pure functions, so folding, search and paths are unit-tested without a browser.
 */

export type JsonPath = readonly (string | number)[];

export type ValueType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonLine {
  /** `$`-based JSON path of the value on this line (closing lines repeat their container's path). */
  readonly path: string;
  readonly depth: number;
  /** Object key or array index; null for the root. */
  readonly key: string | number | null;
  readonly type: ValueType;
  /** `open` starts an expanded container, `close` ends it, `leaf` is a value or a folded container. */
  readonly role: 'open' | 'close' | 'leaf';
  /** Leaf text: the value as JSON (long strings cut), or a folded container's summary. */
  readonly text: string;
  readonly size: number;
  readonly comma: boolean;
}

const MAX_TEXT = 400;

const typeOf = (v: unknown): ValueType => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as ValueType));

/** One segment of a path: `.key`, `[3]` or `["odd key"]`. */
const segmentString = (s: string | number): string => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`);

/** `$.search.issues[3]["odd key"]` */
export const pathString = (segments: JsonPath): string => `$${segments.map(segmentString).join('')}`;

const sizeOf = (v: unknown): number => (Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0);

const leafText = (v: unknown): string => {
  const t = typeOf(v);
  if (t === 'array') return `[ ${sizeOf(v)} item${sizeOf(v) === 1 ? '' : 's'} ]`;
  if (t === 'object') return `{ ${sizeOf(v)} key${sizeOf(v) === 1 ? '' : 's'} }`;
  const json = JSON.stringify(v);
  return json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}… (${json.length.toLocaleString()} chars)` : json;
};

/**
 * The visible lines. `expanded` holds path strings of open containers (the root is always open).
 * Iterative, so deep documents cannot overflow the stack. A child's path is its parent's plus one
 * segment (no segment arrays per line): "expand all" on a 10 MB page makes ~640k lines, and their
 * size is what the console keeps in memory while the operator goes on scrolling the list.
 */
export const buildLines = (root: unknown, expanded: ReadonlySet<string>): JsonLine[] => {
  const lines: JsonLine[] = [];
  type Frame = { value: unknown; path: string; key: string | number | null; depth: number; comma: boolean; closing: boolean };
  const stack: Frame[] = [{ value: root, path: '$', key: null, depth: 0, comma: false, closing: false }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    const type = typeOf(f.value);
    const { path } = f;
    const container = type === 'object' || type === 'array';
    if (f.closing) {
      lines.push({ path, depth: f.depth, key: null, type, role: 'close', text: type === 'array' ? ']' : '}', size: sizeOf(f.value), comma: f.comma });
      continue;
    }
    const open = container && (f.depth === 0 || expanded.has(path)) && sizeOf(f.value) > 0;
    if (!open) {
      lines.push({ path, depth: f.depth, key: f.key, type, role: 'leaf', text: leafText(f.value), size: sizeOf(f.value), comma: f.comma });
      continue;
    }
    lines.push({ path, depth: f.depth, key: f.key, type, role: 'open', text: type === 'array' ? '[' : '{', size: sizeOf(f.value), comma: false });
    stack.push({ ...f, closing: true });
    const entries: [string | number, unknown][] = Array.isArray(f.value) ? f.value.map((v, i) => [i, v]) : Object.entries(f.value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      stack.push({ value: v, path: path + segmentString(k), key: k, depth: f.depth + 1, comma: i < entries.length - 1, closing: false });
    }
  }
  return lines;
};

/** Containers down to `depth` (exclusive), for the first view of a payload. */
export const expandToDepth = (root: unknown, depth: number, limit = 2_000): Set<string> => {
  const out = new Set<string>();
  const walk = (v: unknown, path: string, level: number): void => {
    if (level >= depth || out.size >= limit || v === null || typeof v !== 'object') return;
    out.add(path);
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries) walk(x, path + segmentString(k), level + 1);
  };
  walk(root, '$', 0);
  return out;
};

/** Every container's path, capped (expand all on a 10 MB payload stays bounded). */
export const allContainers = (root: unknown, limit = 200_000): Set<string> => expandToDepth(root, Number.POSITIVE_INFINITY, limit);

/** The containers to open so the value at `segments` shows: all its ancestors. */
export const ancestorsOf = (segments: JsonPath): string[] => segments.map((_, i) => pathString(segments.slice(0, i)));

/**
 * Paths of keys and primitive values containing `query` (case-insensitive), in document order,
 * at most `limit`. Iterative depth-first walk over the whole document, folded or not.
 */
export const searchJson = (root: unknown, query: string, limit = 1_000): { paths: JsonPath[]; truncated: boolean } => {
  const needle = query.trim().toLowerCase();
  if (needle === '') return { paths: [], truncated: false };
  const paths: JsonPath[] = [];
  const stack: { value: unknown; segments: JsonPath }[] = [{ value: root, segments: [] }];
  while (stack.length > 0) {
    const { value, segments } = stack.pop()!;
    const last = segments.at(-1);
    const keyHit = typeof last === 'string' && last.toLowerCase().includes(needle);
    if (value !== null && typeof value === 'object') {
      if (keyHit) paths.push(segments);
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], segments: [...segments, entries[i]![0]] });
    } else if (keyHit || String(value).toLowerCase().includes(needle)) {
      paths.push(segments);
    }
    if (paths.length >= limit) return { paths, truncated: stack.length > 0 };
  }
  return { paths, truncated: false };
};

/** The value at a path, or undefined. */
export const valueAt = (root: unknown, segments: JsonPath): unknown => {
  let node: unknown = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
};
