/**
 * The `rel="next"` URL of a GitHub `Link` header (RFC 8288): `<url>; rel="next", <url>; rel="last"`.
 * Absent header or no next link: the last page.
 */
export const nextLink = (header: string | null): string | null => {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rels = /\brel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1]?.split(/\s+/) ?? [];
    if (rels.includes('next')) return m[1] ?? null;
  }
  return null;
};
