// Slugs have at most 40 characters: room for a "-NNNN" suffix.
const MAX_BASE = 32;

/** An organisation address from the company name: lowercase ASCII, digits and dashes. */
export function slugBase(company: string): string {
  const ascii = company
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_BASE)
    .replace(/-+$/, "");
  return ascii.length >= 3 ? ascii : `partner-${ascii || "org"}`;
}

/** The base itself if free, else the first free `base-2`, `base-3`, … (`taken` is finite, so one is). */
export function firstFreeSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
