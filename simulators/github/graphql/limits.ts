/**
 * Static analysis GitHub does before running a query: the possible node count (limit 500,000) and the
 * point cost (connections requested / 100, at least 1), from the `first`/`last` arguments.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

export const MAX_NODES = 500_000;

function argNumber(v: ValueNode | undefined, vars: Record<string, unknown>): number | null {
  if (!v) return null;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === 'number' ? x : null;
  }
  return null;
}

export function analyse(doc: DocumentNode, vars: Record<string, unknown>, operationName?: string | null): { nodeCount: number; cost: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let nodes = 0;
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, multiplier: number, seen: Set<string>) => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const first = argNumber(s.arguments?.find((a) => a.name.value === 'first')?.value, vars);
        const last = argNumber(s.arguments?.find((a) => a.name.value === 'last')?.value, vars);
        const n = first ?? last;
        if (n !== null) {
          requests += multiplier;
          nodes += multiplier * n;
          walk(s.selectionSet, multiplier * n, seen);
        } else walk(s.selectionSet, multiplier, seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, multiplier, seen);
      else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
        walk(fragments.get(s.name.value)?.selectionSet, multiplier, new Set([...seen, s.name.value]));
      }
    }
  };
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = ops.find((d) => !operationName || d.name?.value === operationName) ?? ops[0];
  if (op && op.kind === Kind.OPERATION_DEFINITION) walk(op.selectionSet, 1, new Set());
  return { nodeCount: nodes, cost: Math.max(1, Math.round(requests / 100)) };
}
