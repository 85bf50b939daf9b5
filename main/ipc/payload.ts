/**
 * Measures how big an IPC argument would be as JSON, without serializing it and without walking
 * more of it than the limit allows. IPC arguments arrive already structured-cloned, so they can
 * hold things JSON cannot (cycles, Maps, typed arrays, BigInt): the contract is JSON-only, so those
 * are refused here rather than surprising a zod schema or a logger later.
 */
export type PayloadCheck = { ok: true; bytes: number } | { ok: false; reason: 'too_large' | 'not_json' | 'too_deep' };

export const MAX_PAYLOAD_DEPTH = 64;

export const measurePayload = (value: unknown, limitBytes: number): PayloadCheck => {
  let bytes = 0;
  const seen = new Set<object>();

  // Returns a failure reason, or null while the value is still within bounds.
  const visit = (node: unknown, depth: number): 'too_large' | 'not_json' | 'too_deep' | null => {
    if (depth > MAX_PAYLOAD_DEPTH) return 'too_deep';
    switch (typeof node) {
      case 'string':
        bytes += Buffer.byteLength(node, 'utf8') + 2;
        break;
      case 'number':
        if (!Number.isFinite(node)) return 'not_json';
        bytes += String(node).length;
        break;
      case 'boolean':
        bytes += node ? 4 : 5;
        break;
      case 'undefined':
        // JSON drops undefined properties; the schema decides whether the field was required.
        break;
      case 'object': {
        if (node === null) {
          bytes += 4;
          break;
        }
        if (seen.has(node)) return 'not_json';
        seen.add(node);
        if (Array.isArray(node)) {
          bytes += 2 + Math.max(0, node.length - 1);
          if (bytes > limitBytes) return 'too_large';
          for (const item of node) {
            const failure = visit(item, depth + 1);
            if (failure) return failure;
          }
        } else {
          const proto: unknown = Object.getPrototypeOf(node);
          if (proto !== Object.prototype && proto !== null) return 'not_json';
          const entries = Object.entries(node);
          bytes += 2 + Math.max(0, entries.length - 1);
          for (const [key, item] of entries) {
            bytes += Buffer.byteLength(key, 'utf8') + 3;
            if (bytes > limitBytes) return 'too_large';
            const failure = visit(item, depth + 1);
            if (failure) return failure;
          }
        }
        seen.delete(node);
        break;
      }
      default:
        // bigint, symbol, function: not representable in the contract.
        return 'not_json';
    }
    return bytes > limitBytes ? 'too_large' : null;
  };

  const failure = visit(value, 0);
  return failure ? { ok: false, reason: failure } : { ok: true, bytes };
};
