/** Case- and accent-insensitive form of a name, for matching names and aliases. */
export function foldName(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[–—‐-]/g, "-")
    .replace(/[’'`]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
