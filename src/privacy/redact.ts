/**
 * Personal identifiers that must never reach the logs: e-mails, IBANs, Italian tax codes (codice fiscale),
 * phone numbers and document numbers. Order matters: the most specific patterns run first.
 */
const PATTERNS: [RegExp, string][] = [
  [/[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi, "[email]"],
  [/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g, "[iban]"],
  [/\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b/gi, "[codice-fiscale]"],
  [/\b(?:[A-Z]{2}\d{7}|\d{7}[A-Z]{2}|[A-Z]{2}\d{5}[A-Z]{2}|C[A-Z]\d{5}[A-Z]{2})\b/g, "[document]"],
  [/(?:\+|00)?\d[\d\s.\-/]{6,}\d/g, "[phone]"],
];

export function redactText(s: string): string {
  let out = s;
  for (const [re, label] of PATTERNS) out = out.replace(re, label);
  return out;
}
