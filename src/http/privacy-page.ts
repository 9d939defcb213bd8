import type { Request, Response } from "express";
import { LANGUAGES, LANGUAGE_NAMES, isLang, textDirection, type Lang } from "../language/languages.js";
import { translator } from "../language/i18n.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The privacy notice, in the language asked for (?lang=xx) or the browser's, with links to all 18. */
export function privacyPage(retentionDays: number) {
  return (req: Request, res: Response) => {
    const q = String(req.query.lang ?? "");
    const lang: Lang = isLang(q) ? q : ((req.acceptsLanguages(...LANGUAGES) || "it") as Lang);
    const t = translator(lang);
    const links = LANGUAGES.map((l) => `<a href="/privacy?lang=${l}" lang="${l}" dir="${textDirection(l)}">${escapeHtml(LANGUAGE_NAMES[l])}</a>`).join(" · ");
    res.type("html").send(`<!doctype html>
<html lang="${lang}" dir="${textDirection(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Orienta – Privacy</title><link rel="stylesheet" href="/chat.css"></head>
<body><main class="page">
<h1>Privacy</h1>
<p>${escapeHtml(t("privacy_info", { days: retentionDays }))}</p>
<p>${escapeHtml(t("greeting"))}</p>
<p>${escapeHtml(t("emergency_line"))}</p>
<nav aria-label="Languages"><p>${links}</p></nav>
</main></body></html>`);
  };
}
