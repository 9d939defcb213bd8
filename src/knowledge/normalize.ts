import { stripAccents } from "./search/text.js";

/** Case- and accent-insensitive form of a name, for matching names and aliases. */
export function foldName(s: string): string {
  return stripAccents(s)
    .toLowerCase()
    .replace(/[–—‐-]/g, "-")
    .replace(/[’'`]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
