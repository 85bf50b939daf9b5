/**
 * Plain text from an Atlassian Document Format document (Jira v3 descriptions and rich-text custom
 * fields). The npm converters we looked at produce Markdown (adf-to-md, adf-to-markdown), which would
 * leave `**`, `#` and link syntax in a column meant for search and embeddings; plain text is a small
 * tree walk, so it lives here.
 *
 * Blocks (paragraphs, headings, list items, table rows, code blocks) end lines; inline nodes give
 * their text (mentions and emoji their label, cards and links their URL, dates their day). Unknown
 * nodes contribute their children's text, so a new node type degrades to its text, never to nothing.
 * Nesting deeper than MAX_DEPTH is read as flat text (a hostile document cannot exhaust the stack).
 */

const MAX_DEPTH = 64;

const BLOCKS = new Set([
  'paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'bulletList', 'orderedList', 'taskList', 'taskItem',
  'decisionList', 'decisionItem', 'panel', 'table', 'tableRow', 'rule', 'mediaSingle', 'mediaGroup', 'expand', 'nestedExpand', 'layoutSection', 'layoutColumn',
]);

type Node = { type?: unknown; text?: unknown; attrs?: Record<string, unknown>; content?: unknown };

const asNode = (v: unknown): Node | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

const inlineText = (node: Node): string | null => {
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'text':
      return typeof node.text === 'string' ? node.text : '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return str(attrs.text) ?? '';
    case 'emoji':
      return str(attrs.text) ?? str(attrs.shortName) ?? '';
    case 'status':
      return str(attrs.text) ?? '';
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      return str(attrs.url) ?? '';
    case 'date': {
      const ms = Number(attrs.timestamp);
      return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
    }
    default:
      return null;
  }
};

const endLine = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

const render = (value: unknown, depth: number): string => {
  const node = asNode(value);
  if (!node) return '';
  const inline = inlineText(node);
  if (inline !== null) return inline;
  const children = Array.isArray(node.content) ? node.content : [];
  const inner = (): string => children.map((c) => (depth >= MAX_DEPTH ? flatText(c) : render(c, depth + 1))).join('');
  switch (node.type) {
    case 'listItem':
    case 'taskItem':
    case 'decisionItem':
      return `- ${inner().trim()}\n`;
    case 'tableRow':
      // One line per row: a cell's own paragraphs would otherwise break the row apart.
      return `${children.map((c) => render(c, depth + 1).replace(/\s*\n\s*/g, ' ').trim()).join(' | ')}\n`;
    case 'expand':
    case 'nestedExpand': {
      const title = str(node.attrs?.title);
      return endLine(`${title ? `${title}\n` : ''}${inner()}`);
    }
    default:
      return typeof node.type === 'string' && BLOCKS.has(node.type) ? endLine(inner()) : inner();
  }
};

/** Every text leaf, in order, without structure: the fallback below MAX_DEPTH. Iterative, so depth is no risk. */
const flatText = (root: unknown): string => {
  const parts: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = asNode(stack.pop());
    if (!node) continue;
    if (node.type === 'text' && typeof node.text === 'string') parts.push(node.text);
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i -= 1) stack.push(node.content[i]);
  }
  return parts.join(' ');
};

/** True for an ADF document (`{type: 'doc', content: [...]}`). */
export const isAdfDocument = (value: unknown): boolean => {
  const node = asNode(value);
  return node !== null && node.type === 'doc' && Array.isArray(node.content);
};

/** Plain text of an ADF document; blank lines collapsed, trimmed; null when it holds no text. */
export const adfToText = (doc: unknown): string | null => {
  const text = render(doc, 0)
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? null : text;
};
