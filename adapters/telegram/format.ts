import { createHash } from "node:crypto";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { MAX_TEXT, type Inbound, type QuickReply } from "../../src/engine/messages.js";
import { LANGUAGES, isLang, type Lang } from "../../src/language/languages.js";

/** Telegram's limit for one text message. */
export const TELEGRAM_MAX_TEXT = 4096;
/** Telegram's limit for callback_data, in bytes. */
const MAX_CALLBACK_BYTES = 64;

/**
 * Splits a text into chunks of at most `max` UTF-16 code units (what Telegram counts), cutting at a paragraph
 * break if there is one in the second half of the window, else at a line break, else at a space, else anywhere
 * (never inside a surrogate pair). Chunks are never empty.
 */
export function splitMessage(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max / 2);
    let cut = -1;
    for (const sep of ["\n\n", "\n", " "]) {
      const at = window.lastIndexOf(sep, max);
      if (at >= floor) {
        cut = at;
        break;
      }
    }
    if (cut < 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
    }
    const chunk = rest.slice(0, cut).replace(/\s+$/u, "");
    if (chunk) chunks.push(chunk);
    rest = rest.slice(cut).replace(/^\s+/u, "");
  }
  if (rest || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** callback_data for a quick reply: the value itself when it fits in 64 bytes, else `h:` and a hash of it. */
export function callbackData(value: string): string {
  return Buffer.byteLength(value, "utf8") <= MAX_CALLBACK_BYTES ? value : hashedCallback(value);
}

export function hashedCallback(value: string): string {
  return `h:${createHash("sha256").update(value).digest("base64url").slice(0, 22)}`;
}

/** Inline keyboard for the engine's quick replies: language buttons three a row, short labels two a row. */
export function inlineKeyboard(quickReplies: QuickReply[] | undefined): InlineKeyboardMarkup | undefined {
  if (!quickReplies?.length) return undefined;
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  let perRow = 0;
  for (const q of quickReplies) {
    const n = q.value.startsWith("lang:") ? 3 : [...q.label].length <= 18 ? 2 : 1;
    if (row.length && (row.length >= perRow || n !== perRow)) {
      rows.push(row);
      row = [];
    }
    perRow = n;
    row.push({ text: q.label.slice(0, 120) || q.value, callback_data: callbackData(q.value) });
  }
  if (row.length) rows.push(row);
  return { inline_keyboard: rows };
}

/** The person's language from Telegram's `language_code` ("en-US" -> "en"), when the bot speaks it. */
export function langFromCode(code: string | undefined): Lang | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}

const COMMANDS = ["start", "language", "human", "privacy", "delete"] as const;
type Command = (typeof COMMANDS)[number];
const ALIASES: Record<string, Command> = { help: "start", lingua: "language", lang: "language", operatore: "human", operator: "human" };

/**
 * A text that starts with a bot command, as an Inbound command (an unknown command shows the start menu);
 * undefined if the text is no command or a command for another bot.
 */
export function parseCommand(text: string, botUsername?: string): Inbound | undefined {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return undefined;
  const name = m[1]!.toLowerCase();
  const command = (COMMANDS as readonly string[]).includes(name) ? (name as Command) : (ALIASES[name] ?? "start");
  const arg = m[3]?.trim().split(/\s+/)[0]?.slice(0, 50);
  // Only a language code is meaningful as an argument (deep links t.me/bot?start=ar, /language fr).
  return { kind: "command", command, ...(arg && (command === "start" || command === "language") && isLang(arg.toLowerCase()) ? { arg: arg.toLowerCase() } : {}) };
}

/** Free text for the engine, within its limit (cut at a code point boundary). */
export function inboundText(text: string): Inbound {
  let t = text;
  if (t.length > MAX_TEXT) {
    t = t.slice(0, MAX_TEXT);
    const code = t.charCodeAt(t.length - 1);
    if (code >= 0xd800 && code <= 0xdbff) t = t.slice(0, -1);
  }
  return { kind: "text", text: t };
}

/** Descriptions of the bot's commands in the menu, in each language the bot speaks (to be checked by native speakers). */
export const COMMAND_DESCRIPTIONS: Record<Lang, Record<Command, string>> = {
  it: { start: "Inizia o ricomincia", language: "Cambia lingua", human: "Parla con un operatore", privacy: "Come trattiamo i tuoi dati", delete: "Cancella la conversazione" },
  en: { start: "Start or start again", language: "Change language", human: "Talk to a person", privacy: "How we handle your data", delete: "Delete this conversation" },
  fr: { start: "Commencer ou recommencer", language: "Changer de langue", human: "Parler à une personne", privacy: "Comment nous traitons vos données", delete: "Supprimer la conversation" },
  es: { start: "Empezar o volver a empezar", language: "Cambiar idioma", human: "Hablar con una persona", privacy: "Cómo tratamos tus datos", delete: "Borrar la conversación" },
  ar: { start: "ابدأ أو ابدأ من جديد", language: "تغيير اللغة", human: "التحدث مع موظف", privacy: "كيف نتعامل مع بياناتك", delete: "حذف المحادثة" },
  uk: { start: "Почати або почати знову", language: "Змінити мову", human: "Поговорити з працівником", privacy: "Як ми обробляємо ваші дані", delete: "Видалити розмову" },
  ru: { start: "Начать или начать заново", language: "Сменить язык", human: "Поговорить с сотрудником", privacy: "Как мы обрабатываем ваши данные", delete: "Удалить разговор" },
  zh: { start: "开始或重新开始", language: "更改语言", human: "与工作人员交谈", privacy: "我们如何处理您的数据", delete: "删除对话" },
  bn: { start: "শুরু করুন বা আবার শুরু করুন", language: "ভাষা পরিবর্তন করুন", human: "একজন কর্মীর সাথে কথা বলুন", privacy: "আমরা আপনার তথ্য কীভাবে ব্যবহার করি", delete: "কথোপকথন মুছে ফেলুন" },
  tl: { start: "Magsimula o magsimulang muli", language: "Palitan ang wika", human: "Makipag-usap sa isang tao", privacy: "Paano namin inaalagaan ang iyong datos", delete: "Burahin ang usapan" },
  si: { start: "ආරම්භ කරන්න හෝ නැවත ආරම්භ කරන්න", language: "භාෂාව වෙනස් කරන්න", human: "නිලධාරියෙකු සමඟ කතා කරන්න", privacy: "අපි ඔබේ දත්ත හසුරුවන ආකාරය", delete: "සංවාදය මකන්න" },
  ur: { start: "شروع کریں یا دوبارہ شروع کریں", language: "زبان تبدیل کریں", human: "کسی اہلکار سے بات کریں", privacy: "ہم آپ کے ڈیٹا کو کیسے سنبھالتے ہیں", delete: "گفتگو حذف کریں" },
  fa: { start: "شروع یا شروع دوباره", language: "تغییر زبان", human: "گفتگو با یک کارمند", privacy: "چگونه با اطلاعات شما رفتار می‌کنیم", delete: "حذف گفتگو" },
  ps: { start: "پیل یا بیا پیل", language: "ژبه بدله کړئ", human: "له یو کارکوونکي سره خبرې وکړئ", privacy: "موږ ستاسو معلومات څنګه ساتو", delete: "خبرې اترې ړنګې کړئ" },
  so: { start: "Bilow ama dib u bilow", language: "Beddel luqadda", human: "La hadal qof shaqaale ah", privacy: "Sida aan u maareyno xogtaada", delete: "Tirtir wada-hadalka" },
  ti: { start: "ጀምር ወይ ከም ብሓድሽ ጀምር", language: "ቋንቋ ቀይር", human: "ምስ ሰራሕተኛ ተዛረብ", privacy: "ሓበሬታኻ ብኸመይ ንሕዞ", delete: "ዕላል ደምስስ" },
  sq: { start: "Fillo ose rifillo", language: "Ndrysho gjuhën", human: "Fol me një punonjës", privacy: "Si i trajtojmë të dhënat e tua", delete: "Fshi bisedën" },
  ro: { start: "Începe sau reîncepe", language: "Schimbă limba", human: "Vorbește cu o persoană", privacy: "Cum tratăm datele tale", delete: "Șterge conversația" },
};

/** The command menu in a language, for setMyCommands. */
export function commandMenu(lang: Lang): { command: string; description: string }[] {
  return COMMANDS.map((command) => ({ command, description: COMMAND_DESCRIPTIONS[lang][command] }));
}

export const MENU_LANGUAGES: readonly Lang[] = LANGUAGES;
