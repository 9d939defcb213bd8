import type { EmergencyKind } from "../knowledge/schema.js";

/**
 * Phrases that signal danger, per kind, in the 18 languages. Patterns are matched against the message after
 * `lightFold` (lower case, no accents or Arabic vowel marks, Persian/Arabic letter variants unified), so write them
 * folded. Err towards flagging: a false alarm costs an operator a minute, a missed one can cost a life.
 * `urgent_care` is time-critical care with no danger line of its own (a frail person leaving hospital with nobody at home).
 */
export type TriageKind = EmergencyKind | "urgent_care";

export const TRIAGE_LEXICON: Record<TriageKind, string[]> = {
  violence: [
    // it
    "mi picchia", "mi picchiano", "mi ha picchiat", "mi mena", "mi ha menat", "mi maltratta", "mi ha colpit", "mi minaccia", "minaccia di uccider",
    "vuole uccidermi", "mi fa del male", "ho paura di (lui|mio marito|mio compagno|tornare a casa)", "violenza (domestica|in casa|da parte)", "mi perseguita", "stalker",
    // en
    "(hits|beats|hurts|hit|beat|slapped|choked|strangled) me", "kicked me(?! out)", "beating me", "threaten(s|ed)? to kill", "afraid of my (husband|partner|boyfriend|father)", "domestic (violence|abuse)", "abusive (husband|partner)",
    // fr
    "(me|m'a) (frappe|frappee|battue|bat)", "me frappe", "violence(s)? (conjugale|domestique|de la part)", "je subis des violences", "menace de me tuer", "j'ai peur de (lui|mon mari)",
    // es
    "me (pega|golpea|maltrata|amenaza)", "me ha pegado", "violencia (domestica|de genero)", "tengo miedo de (el|mi marido|mi pareja)", "amenaza con matarme",
    // ro
    "ma bate", "m-a batut", "ma loveste", "violenta domestica", "mi-e frica de (el|sotul)", "ma ameninta",
    // sq
    "me rreh", "me ka rrahur", "dhune ne familje", "kam frike nga burri", "me kercenon",
    // tl
    "sinasaktan (ako|niya ako)", "binubugbog", "pinapalo ako", "sinampal",
    // so
    "i garaaca", "wuu i garaacaa", "wuu i dilaa", "xadgudub",
    // ar
    "(by|bi|b)?yedrab(ni|ny)", "bydrobni", "biyodrobni", "darabni",
    "يضربني", "ضربني", "يعنفني", "عنف اسري", "يهددني بالقتل", "اخاف من زوجی", "اخاف من زوجي",
    // fa / ps / ur
    "مرا میزند", "منو میزنه", "کتکم میزند", "خشونت خانگی", "ما وهي", "وهل کوی", "مجھے مارتا", "مارتا ہے", "مار پیٹ", "گھریلو تشدد",
    // uk / ru
    "б'е мене", "бие мене", "мене бьют", "мене б'є", "б'є мене", "мене б'ють", "меня бьет", "меня бьют", "меня избивает", "домашне насильство", "бьет меня", "избивает", "домашнее насилие", "угрожает убить", "погрожуе",
    // zh
    "打我", "家暴", "家庭暴力", "威胁要杀",
    // bn / si / ti
    "আমাকে মারে", "মারধর", "নির্যাতন", "මට ගහනවා", "ගහනවා", "ይወቕዐኒ", "ይህርመኒ",
  ],
  sexual_violence: [
    "violentat", "stuprat", "stupro", "abusat[ao] sessualmente", "violenza sessuale", "molestat",
    "\\braped?\\b", "sexual(ly)? (assault|abuse)", "viol(ee)?\\b", "agression sexuelle", "violad[ao]", "abuso sexual", "violata", "viol sexual",
    "اغتصب", "اغتصاب", "تجاوز جنسی", "зґвалтув", "изнасил", "强奸", "性侵", "ধর্ষণ", "جنسی زیادتی", "kufsasho", "dhunim seksual",
  ],
  suicide: [
    "suicid", "uccidermi", "ammazzarmi", "togliermi la vita", "farla finita", "non voglio piu vivere", "voglio morire", "mi voglio uccidere",
    "kill myself", "end my life", "want to die", "don't want to live", "dont want to live", "no reason to live", "hurt myself",
    "me tuer", "en finir", "envie de mourir", "je veux mourir", "quitarme la vida", "matarme", "quiero morir", "no quiero vivir",
    "sa ma sinucid", "vreau sa mor", "sinucidere", "te vras veten", "dua te vdes", "magpakamatay", "gusto ko nang mamatay",
    "is dilo", "waan is dilayaa", "انتحار", "اقتل نفسی", "اقتل نفسي", "ارید ان اموت", "اريد ان اموت", "خودکشی", "میخواهم بمیرم", "ځان وژنه", "خود کشی",
    "покінчити з собою", "хочу померти", "самогубств", "покончить с собой", "хочу умереть", "суицид", "自杀", "不想活", "想死",
    "আত্মহত্যা", "মরতে চাই", "සියදිවි", "මැරෙන්න ඕනේ", "ርእሰ ቅትለት", "ክመውት እደሊ",
  ],
  minor_at_risk: [
    // a minor alone, or a minor in visible distress
    "(ho|di|ha) 1[0-7] anni.{0,60}(da solo|da sola|solo|sola|nessuno)", "sono minorenne", "minore non accompagnat", "scappat[oa] di casa",
    "(figlio|figlia|ragazzo|ragazza).{0,40}(molto triste|depress|non esce dalla (sua )?(camera|stanza)|si chiude in camera|si fa del male|si taglia)",
    "i'?m 1[0-7].{0,60}(alone|by myself|no one|nobody)", "(son|daughter).{0,40}(very sad|depressed|won't leave (his|her) room|self.harm)", "ran away from home",
    "j'ai 1[0-7] ans.{0,60}(seul|personne)", "(fils|fille).{0,40}(tres triste|deprim|ne sort (pas|plus) de sa chambre)",
    "tengo 1[0-7] anos.{0,60}(solo|sola|nadie)", "(hijo|hija).{0,40}(muy triste|deprimid|no sale de su cuarto|no sale de su habitacion)",
    "am 1[0-7] ani.{0,60}(singur|nimeni)", "(fiul|fiica).{0,40}(foarte trist|deprimat|nu iese din camera)",
    "(vajza|djali).{0,40}(shume e trishtuar|shume i trishtuar|nuk del nga dhoma|depresion)", "jam 1[0-7] vjec.{0,40}(vetem|askush)",
    "1[0-7] taong gulang.{0,60}(mag-isa|nag-iisa|walang kasama)",
    "عمری ١[٠-٧]", "عمري ١[٠-٧]", "عمری 1[0-7]", "عمري 1[0-7]", "عمری ?[٠-٩0-9]+ سنه.{0,40}وحدی", "جئت.{0,40}وحد", "قاصر وحد",
    "мені 1[0-7] рок", "1[0-7] jir.{0,80}(kaligay|keligay|kalidey|qof ma|cid ma)", "(kaligay|keligay).{0,60}1[0-7] jir", "мне 1[0-7] лет", "我1[0-7]岁", "我十[一二三四五六七]岁", "আমার বয়স ১[০-৭]", "wiilkayga.{0,30}murug", "gabadhayda.{0,30}murug",
  ],
  trafficking: [
    "(tiene|ha preso|trattiene|si e preso|ha sequestrato|mi ha tolto) (il )?(mio )?passaporto", "passaporto.{0,30}(preso|tiene|sequestr|trattien)",
    "non mi paga da", "lavoro senza (essere pagat|paga|stipendio)", "costrett[oa] a (lavorare|prostituirmi)", "devo ripagare un debito",
    "(kept|took|keeps|has|holding) my passport", "(hasn't|has not|doesn't|does not|didn't) pa(y|id) me (for|in)", "forced to (work|prostitut)",
    "garde mon passeport", "(a pris|confisque) mon passeport", "ne me paie pas depuis", "force(e)? a (travailler|me prostituer)",
    "(tiene|quito|guarda) mi pasaporte", "no me paga desde", "obligad[ao] a (trabajar|prostituirme)",
    "(mi-a luat|imi tine) pasaportul", "nu ma plateste de", "(me mori|mban) pasaporten", "hindi (ako )?binabayaran", "kinuha ang (aking )?pasaporte",
    "جواز سفري", "جواز سفری", "لا يدفع لي", "پاسپورتم را گرفته", "پاسپورت می", "پاسپورٹ", "باسبور", "забрал паспорт", "забрав паспорт", "не платит", "не платить",
    "护照被", "拿走了我的护照", "不给工资", "পাসপোর্ট", "বেতন দেয় না", "baasaboorkayga", "mushaar ma",
  ],
  no_shelter: [
    "(non ho|senza|nessun) (un )?(posto|luogo|casa) (dove|per) dormire", "dove (posso |andare a )?dormire (stanotte|stasera|oggi)", "non so dove dormire",
    "dormo (per strada|in strada|in macchina|in auto|alla stazione|fuori|sotto|nel parco|sulle panchine|su una panchina)", "dormire in macchina", "siamo in strada", "cacciat[oa] di casa", "mi hanno buttat[oa] fuori",
    "(si e )?incendiat[ao] la casa", "casa (e )?bruciata", "senza un tetto stanotte",
    "nowhere to (sleep|stay|go) tonight", "nowhere to sleep", "(no|nowhere) place to sleep", "sleeping (in (my|the) car|on the street|rough|at the station|outside)",
    "kicked (me )?out", "thrown out of (my|the) (house|home|flat)", "homeless tonight", "somewhere (safe )?(to|i can) (stay|sleep) tonight",
    "(pas|nulle part) (de place |d'endroit )?(ou|pour) dormir", "je dors dans (la rue|ma voiture)", "a la rue", "sans abri ce soir",
    "(no tengo|sin) (donde|lugar para) dormir", "duermo en (la calle|el coche|mi coche)", "me echaron de casa",
    "nu am unde sa dorm", "dorm (pe strada|in masina)", "nuk kam ku te fle", "fle ne rruge", "walang matulugan", "natutulog sa (kalye|kotse)",
    "meel aan seexdo", "ma haysto meel", "waxaan ku seexdaa waddada",
    "(anam|nanam|nam) (fen|fein|wein|wen|feen)", "(fen|fein|wein|wen|feen) (anam|nanam)", "mafi(sh)? (makan|mkan|bet)", "ma3and(i|ish|na)? (makan|mkan|bet|bayt)",
    "مكان ننام", "مكان انام", "مکان ننام", "مکان انام", "این انام", "أين أنام", "انام في الشارع", "جایی برای خواب", "کجا بخوابم", "چیرته ویده شم", "سونے کی جگہ", "کہاں سوؤں",
    "ніде (спати|ночувати)", "нема де (спати|ночувати)", "негде (спать|ночевать)", "сплю на улице", "сплю на вулиці",
    "没有地方(睡|住)", "无家可归", "睡在街上", "ঘুমানোর জায়গা নেই", "রাস্তায় ঘুমাই", "නිදාගන්න තැනක් නැහැ", "ዝድቅሰሉ ቦታ የብለይን", "ኣብ ጎደና እድቅስ",
  ],
  cold: [
    "fa (molto |un )?freddo", "freddo cane", "che freddo", "si gela", "ho (molto )?freddo", "sto gelando", "it'?s (very |so )?(cold|freezing)", "i'?m (very |so )?(cold|freezing)", "il fait (tres )?froid", "j'ai (tres )?froid",
    "hace (mucho )?frio", "tengo (mucho )?frio", "(imi|mi) este (foarte )?frig", "e frig", "kam (shume )?ftohte", "bën ftohte", "ang lamig", "giniginaw",
    "qabow", "برد شدید", "سرد جدا", "بارد جدا", "дуже холодно", "очень холодно", "мерзну", "很冷", "খুব ঠান্ডা", "ගොඩක් සීතලයි", "ዝሑል",
  ],
  medical: [
    "non respira", "svenut", "sviene", "infarto", "ictus", "emorragia", "perde (molto )?sangue", "overdose", "dolore al petto", "incosciente", "ambulanza",
    "(incinta|gravidanza).{0,80}(non ho|senza|niente).{0,20}(tessera|medico|documenti)",
    "not breathing", "can'?t breathe", "unconscious", "heart attack", "stroke", "bleeding (a lot|heavily)", "chest pain", "ambulance",
    "pregnant.{0,80}(no|without).{0,30}(health card|doctor|papers|insurance)",
    "ne respire (pas|plus)", "inconscient", "crise cardiaque", "enceinte.{0,80}(pas de|sans).{0,20}(carte|medecin)",
    "no respira", "inconsciente", "ataque al corazon", "embarazada.{0,80}(sin|no tengo).{0,20}(tarjeta|medico)",
    "nu respira", "atac de cord", "insarcinata.{0,80}(fara|nu am)", "nuk merr fryme", "hindi (siya )?humihinga", "buntis.{0,80}walang",
    "ma neefsanayo", "uur.{0,60}(ma haysano|ma lihi)",
    "لا يتنفس", "نزيف", "سكتة", "حامل.{0,80}(ليس|لیس|بدون)", "نفس نمیکشد", "حامله.{0,80}(ندار|بدون)", "سانس نہیں", "حاملہ.{0,80}(نہیں|بغیر)",
    "не дихає", "не дышит", "інфаркт", "инфаркт", "вагітна.{0,80}(нема|без)", "беременна.{0,80}(нет|без)",
    "不能呼吸", "昏迷", "心脏病", "怀孕.{0,40}没有", "গর্ভবতী.{0,80}(নেই|ছাড়া)", "শ্বাস নিতে পারছে না", "හුස්ම ගන්න බැහැ", "ኣይተንፍስን",
  ],
  urgent_care: [
    "(esce|uscira|dimess[oa]|dimettono|dimissione).{0,40}(dall'?|dal |ospedale|humanitas|policlinico|niguarda)",
    "(leaves|leaving|discharged from) (the )?hospital", "sort de l'hopital", "sale del hospital", "iese din spital",
    "خروج من المستشفى", "виписують з лікарні", "выписывают из больницы", "出院",
  ],
};

/**
 * Italian words added to the search when a kind of danger is recognised, so that the places that answer it come up
 * whatever language and words the person used (the Italian text is the reference of every entry).
 */
export const TRIAGE_SEARCH_HINTS: Record<TriageKind, string> = {
  no_shelter: "dormire stanotte accoglienza notturna posto letto",
  cold: "freddo dormire strada coperte",
  violence: "violenza donne maltrattamenti",
  sexual_violence: "violenza sessuale",
  suicide: "ascolto sostegno",
  minor_at_risk: "minore minorenne adolescente disagio",
  trafficking: "tratta sfruttamento lavoro",
  medical: "emergenza medica",
  urgent_care: "dimissioni ospedale assistenza a casa",
};
