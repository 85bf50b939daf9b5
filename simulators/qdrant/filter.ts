/**
 * Qdrant's `Filter` for the double: `must`, `should`, `must_not` (and `min_should`) over field
 * conditions (`match` value / any / except, `range`), `has_id`, `is_empty`, `is_null` and nested
 * filters, with Qdrant's semantics (a key holding an array matches when any element does). Anything
 * else is refused with a Qdrant-style 400, so a test can never pass on a filter the double ignores.
 */
import { z } from 'zod';

export type PointId = number | string;
export type Payload = Record<string, unknown>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Match = z.union([
  z.strictObject({ value: Scalar }),
  z.strictObject({ any: z.array(Scalar) }),
  z.strictObject({ except: z.array(Scalar) }),
]);
const Range = z.strictObject({ gt: z.number().nullish(), gte: z.number().nullish(), lt: z.number().nullish(), lte: z.number().nullish() });
const Id = z.union([z.number().int().nonnegative(), z.string().uuid()]);

export interface Filter {
  must?: Condition[] | Condition | null | undefined;
  should?: Condition[] | Condition | null | undefined;
  must_not?: Condition[] | Condition | null | undefined;
  min_should?: { conditions: Condition[]; min_count: number } | null | undefined;
}
type Field = { key: string; match?: z.infer<typeof Match> | undefined; range?: z.infer<typeof Range> | undefined };
export type Condition = Field | { has_id: PointId[] } | { is_empty: { key: string } } | { is_null: { key: string } } | { filter: Filter } | Filter;

const Conditions: z.ZodType<Condition[] | Condition | null | undefined> = z.lazy(() => z.union([z.array(ConditionSchema), ConditionSchema]).nullish());
const FilterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.strictObject({
    must: Conditions.optional(),
    should: Conditions.optional(),
    must_not: Conditions.optional(),
    min_should: z.strictObject({ conditions: z.array(ConditionSchema), min_count: z.number().int().nonnegative() }).nullish(),
  }),
);
const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ key: z.string().min(1), match: Match.optional(), range: Range.optional() }).refine((c) => c.match !== undefined || c.range !== undefined, 'a field condition needs `match` or `range` here'),
    z.strictObject({ has_id: z.array(Id) }),
    z.strictObject({ is_empty: z.strictObject({ key: z.string() }) }),
    z.strictObject({ is_null: z.strictObject({ key: z.string() }) }),
    z.strictObject({ filter: FilterSchema }),
    FilterSchema,
  ]),
);

export { FilterSchema };

/** Reads a dotted key; arrays along the way are flattened, as Qdrant does. */
const valuesAt = (payload: Payload, key: string): unknown[] => {
  let current: unknown[] = [payload];
  for (const part of key.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v && typeof v === 'object' && !Array.isArray(v) && part in (v as Payload)) next.push((v as Payload)[part]);
    }
    current = next.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return current;
};

const list = (c: Condition[] | Condition | null | undefined): Condition[] => (c == null ? [] : Array.isArray(c) ? c : [c]);

const matchField = (c: Field, payload: Payload): boolean => {
  const values = valuesAt(payload, c.key).filter((v) => v !== null && v !== undefined);
  if (c.match) {
    const m = c.match;
    if ('value' in m) return values.some((v) => v === m.value);
    if ('any' in m) return values.some((v) => m.any.includes(v as string | number | boolean));
    // `except`: true when the field holds a value outside the list (or is missing, as in Qdrant).
    return values.length === 0 || values.some((v) => !m.except.includes(v as string | number | boolean));
  }
  const r = c.range!;
  return values.some(
    (v) => typeof v === 'number' && (r.gt == null || v > r.gt) && (r.gte == null || v >= r.gte) && (r.lt == null || v < r.lt) && (r.lte == null || v <= r.lte),
  );
};

const holds = (c: Condition, id: PointId, payload: Payload): boolean => {
  if ('key' in c) return matchField(c as Field, payload);
  if ('has_id' in c) return c.has_id.some((x) => String(x) === String(id));
  if ('is_empty' in c) return valuesAt(payload, c.is_empty.key).filter((v) => v !== null && v !== undefined).length === 0;
  if ('is_null' in c) return valuesAt(payload, c.is_null.key).some((v) => v === null);
  if ('filter' in c && typeof (c as { filter: unknown }).filter === 'object') return matches((c as { filter: Filter }).filter, id, payload);
  return matches(c as Filter, id, payload);
};

/** Whether a point passes the filter (an absent filter passes everything). */
export const matches = (filter: Filter | null | undefined, id: PointId, payload: Payload): boolean => {
  if (!filter) return true;
  const must = list(filter.must);
  const should = list(filter.should);
  const mustNot = list(filter.must_not);
  if (!must.every((c) => holds(c, id, payload))) return false;
  if (should.length > 0 && !should.some((c) => holds(c, id, payload))) return false;
  if (mustNot.some((c) => holds(c, id, payload))) return false;
  if (filter.min_should && filter.min_should.conditions.filter((c) => holds(c, id, payload)).length < filter.min_should.min_count) return false;
  return true;
};
