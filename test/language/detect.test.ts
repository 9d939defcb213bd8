import { describe, it, expect } from "vitest";
import { detectLanguage } from "../../src/language/detect.js";

describe("language detection", () => {
  it.each([
    ["Non ho dove dormire stanotte, aiuto", "it"],
    ["I have nowhere to sleep tonight", "en"],
    ["Je n'ai pas de logement, où dormir ?", "fr"],
    ["Necesito ayuda para pagar el alquiler", "es"],
    ["ليس لدي مكان أنام فيه الليلة", "ar"],
    ["Мені ніде ночувати сьогодні", "uk"],
    ["Мне негде ночевать сегодня", "ru"],
    ["我今晚没有地方睡觉", "zh"],
    ["আজ রাতে আমার ঘুমানোর জায়গা নেই", "bn"],
    ["Wala akong matulugan ngayong gabi, tulungan po ninyo ako", "tl"],
    ["අද රෑ නිදාගන්න තැනක් නැහැ", "si"],
    ["میرے پاس آج رات سونے کی جگہ نہیں ہے", "ur"],
    ["امشب جایی برای خواب ندارم", "fa"],
    ["نن شپه د ویده کېدو ځای نه لرم", "ps"],
    ["Caawimaad ayaan u baahanahay, ma haysto meel aan seexdo caawa", "so"],
    ["ሎሚ ምሸት ዝድቅሰሉ ቦታ የብለይን", "ti"],
    ["Nuk kam ku të fle sonte, më ndihmoni", "sq"],
    ["Nu am unde să dorm în noaptea asta", "ro"],
  ])("%s -> %s", (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it("is not confident on a one-word message", () => {
    expect(detectLanguage("ok").confident).toBe(false);
  });
});
