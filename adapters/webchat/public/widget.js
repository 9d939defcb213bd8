/*
 * Orienta web chat widget. Embed with one tag:
 *
 *   <script src="https://orienta.example/widget.js" defer></script>
 *   optional: data-lang="ar"  (first language)   data-api="https://orienta.example" (API host; default: where this file comes from)
 *
 * No inline scripts or styles (the page may have a strict CSP); every message is rendered with textContent, never as HTML.
 * The conversation is kept in localStorage until the person ends it (delete button, quick exit).
 */
(function () {
  "use strict";
  if (window.__orientaWidget) return;
  window.__orientaWidget = true;

  var script = document.currentScript;
  var scriptUrl = script && script.src ? new URL(script.src, location.href) : new URL(location.href);
  var API = ((script && script.getAttribute("data-api")) || scriptUrl.origin).replace(/\/+$/, "");
  var STORE_KEY = "orienta.widget.v1";
  var NEUTRAL_PAGE = "https://www.google.com/search?q=meteo+milano";
  var LANGS = ["it", "en", "fr", "es", "ar", "uk", "ru", "zh", "bn", "tl", "si", "ur", "fa", "ps", "so", "ti", "sq", "ro"];
  var RTL = { ar: true, ur: true, fa: true, ps: true };

  /* ---------- interface strings (the bot's own messages come translated from the server) ---------- */
  var UI = {
    it: {
      launcher: "Hai bisogno di aiuto? Scrivici", title: "Orienta", automated: "Assistente automatico, non una persona",
      close: "Chiudi la chat", quickExit: "Esci subito", quickExitHelp: "Lascia subito questa pagina e cancella la chat da questo dispositivo",
      human: "Parla con una persona", language: "Lingua", del: "Cancella conversazione", input: "Scrivi un messaggio",
      placeholder: "Scrivi qui nella tua lingua…", send: "Invia", typing: "Orienta sta scrivendo…", log: "Conversazione", quick: "Risposte rapide",
      intro: "Ciao! Sono Orienta, un assistente automatico. Ti aiuto a trovare i servizi sociali a Milano e nel Sud Milano. Scrivi nella tua lingua.",
      sos: "Pericolo immediato: 112 · Violenza: 1522", withOperator: "Ti risponde un operatore", waiting: "In attesa di un operatore",
      error: "Messaggio non inviato. Controlla la connessione e riprova.", offline: "Connessione persa, riprovo…",
      you: "Tu", bot: "Orienta (automatico)", operator: "Operatore", system: "Avviso", location: "📍 Posizione inviata", tools: "Opzioni della chat",
    },
    en: {
      launcher: "Need help? Write to us", title: "Orienta", automated: "Automated assistant, not a person",
      close: "Close the chat", quickExit: "Quick exit", quickExitHelp: "Leave this page now and erase the chat from this device",
      human: "Talk to a person", language: "Language", del: "Delete conversation", input: "Write a message",
      placeholder: "Write here in your language…", send: "Send", typing: "Orienta is typing…", log: "Conversation", quick: "Quick replies",
      intro: "Hello! I am Orienta, an automated assistant. I help you find social services in Milan and South Milan. Write in your language.",
      sos: "Immediate danger: 112 · Violence: 1522", withOperator: "An operator is answering you", waiting: "Waiting for an operator",
      error: "Message not sent. Check your connection and try again.", offline: "Connection lost, retrying…",
      you: "You", bot: "Orienta (automated)", operator: "Operator", system: "Notice", location: "📍 Location sent", tools: "Chat options",
    },
    fr: {
      launcher: "Besoin d'aide ? Écrivez-nous", automated: "Assistant automatique, pas une personne", close: "Fermer le chat",
      quickExit: "Sortie rapide", quickExitHelp: "Quitter cette page tout de suite et effacer le chat de cet appareil",
      human: "Parler à une personne", language: "Langue", del: "Effacer la conversation", input: "Écrire un message",
      placeholder: "Écrivez ici dans votre langue…", send: "Envoyer", typing: "Orienta écrit…", log: "Conversation", quick: "Réponses rapides",
      intro: "Bonjour ! Je suis Orienta, un assistant automatique. Je vous aide à trouver les services sociaux à Milan et au sud de Milan. Écrivez dans votre langue.",
      sos: "Danger immédiat : 112 · Violence : 1522", withOperator: "Un opérateur vous répond", waiting: "En attente d'un opérateur",
      error: "Message non envoyé. Vérifiez la connexion et réessayez.", offline: "Connexion perdue, nouvel essai…",
      you: "Vous", bot: "Orienta (automatique)", operator: "Opérateur", system: "Avis", location: "📍 Position envoyée", tools: "Options du chat",
    },
    es: {
      launcher: "¿Necesitas ayuda? Escríbenos", automated: "Asistente automático, no una persona", close: "Cerrar el chat",
      quickExit: "Salida rápida", quickExitHelp: "Salir de esta página ahora y borrar el chat de este dispositivo",
      human: "Hablar con una persona", language: "Idioma", del: "Borrar conversación", input: "Escribe un mensaje",
      placeholder: "Escribe aquí en tu idioma…", send: "Enviar", typing: "Orienta está escribiendo…", log: "Conversación", quick: "Respuestas rápidas",
      intro: "¡Hola! Soy Orienta, un asistente automático. Te ayudo a encontrar servicios sociales en Milán y el sur de Milán. Escribe en tu idioma.",
      sos: "Peligro inmediato: 112 · Violencia: 1522", withOperator: "Te responde un operador", waiting: "Esperando a un operador",
      error: "Mensaje no enviado. Revisa la conexión e inténtalo de nuevo.", offline: "Conexión perdida, reintentando…",
      you: "Tú", bot: "Orienta (automático)", operator: "Operador", system: "Aviso", location: "📍 Ubicación enviada", tools: "Opciones del chat",
    },
    ar: {
      launcher: "هل تحتاج إلى مساعدة؟ اكتب لنا", automated: "مساعد آلي، وليس شخصًا", close: "إغلاق المحادثة",
      quickExit: "خروج سريع", quickExitHelp: "غادر هذه الصفحة الآن وامسح المحادثة من هذا الجهاز",
      human: "التحدث مع شخص", language: "اللغة", del: "حذف المحادثة", input: "اكتب رسالة",
      placeholder: "اكتب هنا بلغتك…", send: "إرسال", typing: "Orienta يكتب…", log: "المحادثة", quick: "ردود سريعة",
      intro: "مرحبًا! أنا Orienta، مساعد آلي. أساعدك في العثور على الخدمات الاجتماعية في ميلانو وجنوب ميلانو. اكتب بلغتك.",
      sos: "خطر فوري: 112 · عنف: 1522", withOperator: "يرد عليك موظف", waiting: "في انتظار موظف",
      error: "لم تُرسل الرسالة. تحقق من الاتصال وحاول مرة أخرى.", offline: "انقطع الاتصال، إعادة المحاولة…",
      you: "أنت", bot: "Orienta (آلي)", operator: "موظف", system: "تنبيه", location: "📍 تم إرسال الموقع", tools: "خيارات المحادثة",
    },
    uk: {
      launcher: "Потрібна допомога? Напишіть нам", automated: "Автоматичний помічник, не людина", close: "Закрити чат",
      quickExit: "Швидкий вихід", quickExitHelp: "Негайно залишити сторінку і стерти чат з цього пристрою",
      human: "Поговорити з людиною", language: "Мова", del: "Видалити розмову", input: "Напишіть повідомлення",
      placeholder: "Пишіть тут своєю мовою…", send: "Надіслати", typing: "Orienta пише…", log: "Розмова", quick: "Швидкі відповіді",
      intro: "Привіт! Я Orienta, автоматичний помічник. Допомагаю знайти соціальні служби в Мілані та на півдні Мілана. Пишіть своєю мовою.",
      sos: "Безпосередня небезпека: 112 · Насильство: 1522", withOperator: "Вам відповідає оператор", waiting: "Очікування оператора",
      error: "Повідомлення не надіслано. Перевірте з'єднання і спробуйте ще раз.", offline: "З'єднання втрачено, повторюю…",
      you: "Ви", bot: "Orienta (автоматично)", operator: "Оператор", system: "Повідомлення", location: "📍 Місце надіслано", tools: "Налаштування чату",
    },
    ru: {
      launcher: "Нужна помощь? Напишите нам", automated: "Автоматический помощник, не человек", close: "Закрыть чат",
      quickExit: "Быстрый выход", quickExitHelp: "Сразу покинуть страницу и стереть чат с этого устройства",
      human: "Поговорить с человеком", language: "Язык", del: "Удалить разговор", input: "Напишите сообщение",
      placeholder: "Пишите здесь на своём языке…", send: "Отправить", typing: "Orienta пишет…", log: "Разговор", quick: "Быстрые ответы",
      intro: "Здравствуйте! Я Orienta, автоматический помощник. Помогаю найти социальные службы в Милане и на юге Милана. Пишите на своём языке.",
      sos: "Непосредственная опасность: 112 · Насилие: 1522", withOperator: "Вам отвечает оператор", waiting: "Ожидание оператора",
      error: "Сообщение не отправлено. Проверьте соединение и попробуйте снова.", offline: "Соединение потеряно, повторяю…",
      you: "Вы", bot: "Orienta (автоматически)", operator: "Оператор", system: "Уведомление", location: "📍 Место отправлено", tools: "Настройки чата",
    },
    ro: {
      launcher: "Ai nevoie de ajutor? Scrie-ne", automated: "Asistent automat, nu o persoană", close: "Închide chatul",
      quickExit: "Ieșire rapidă", quickExitHelp: "Părăsește imediat pagina și șterge chatul de pe acest dispozitiv",
      human: "Vorbește cu o persoană", language: "Limba", del: "Șterge conversația", input: "Scrie un mesaj",
      placeholder: "Scrie aici în limba ta…", send: "Trimite", typing: "Orienta scrie…", log: "Conversație", quick: "Răspunsuri rapide",
      intro: "Bună! Sunt Orienta, un asistent automat. Te ajut să găsești servicii sociale în Milano și sudul Milanului. Scrie în limba ta.",
      sos: "Pericol imediat: 112 · Violență: 1522", withOperator: "Îți răspunde un operator", waiting: "Se așteaptă un operator",
      error: "Mesajul nu a fost trimis. Verifică conexiunea și încearcă din nou.", offline: "Conexiune pierdută, reîncerc…",
      you: "Tu", bot: "Orienta (automat)", operator: "Operator", system: "Notificare", location: "📍 Locație trimisă", tools: "Opțiunile chatului",
    },
    fa: {
      launcher: "کمک لازم دارید؟ برای ما بنویسید", automated: "دستیار خودکار، نه یک انسان", close: "بستن گفتگو",
      quickExit: "خروج سریع", quickExitHelp: "همین حالا از این صفحه خارج شوید و گفتگو را از این دستگاه پاک کنید",
      human: "صحبت با یک انسان", language: "زبان", del: "حذف گفتگو", input: "یک پیام بنویسید",
      placeholder: "اینجا به زبان خودتان بنویسید…", send: "ارسال", typing: "Orienta در حال نوشتن است…", log: "گفتگو", quick: "پاسخ‌های سریع",
      intro: "سلام! من Orienta هستم، یک دستیار خودکار. به شما کمک می‌کنم خدمات اجتماعی را در میلان و جنوب میلان پیدا کنید. به زبان خودتان بنویسید.",
      sos: "خطر فوری: 112 · خشونت: 1522", withOperator: "یک کارمند به شما پاسخ می‌دهد", waiting: "در انتظار یک کارمند",
      error: "پیام ارسال نشد. اتصال را بررسی کنید و دوباره تلاش کنید.", offline: "اتصال قطع شد، تلاش دوباره…",
      you: "شما", bot: "Orienta (خودکار)", operator: "کارمند", system: "اطلاعیه", location: "📍 موقعیت ارسال شد", tools: "گزینه‌های گفتگو",
    },
    ur: {
      launcher: "مدد چاہیے؟ ہمیں لکھیں", automated: "خودکار معاون، انسان نہیں", close: "چیٹ بند کریں",
      quickExit: "فوری باہر نکلیں", quickExitHelp: "ابھی یہ صفحہ چھوڑیں اور اس آلے سے چیٹ مٹا دیں",
      human: "کسی انسان سے بات کریں", language: "زبان", del: "گفتگو حذف کریں", input: "پیغام لکھیں",
      placeholder: "یہاں اپنی زبان میں لکھیں…", send: "بھیجیں", typing: "Orienta لکھ رہا ہے…", log: "گفتگو", quick: "فوری جوابات",
      intro: "سلام! میں Orienta ہوں، ایک خودکار معاون۔ میں میلان اور جنوبی میلان میں سماجی خدمات تلاش کرنے میں آپ کی مدد کرتا ہوں۔ اپنی زبان میں لکھیں۔",
      sos: "فوری خطرہ: 112 · تشدد: 1522", withOperator: "ایک آپریٹر آپ کو جواب دے رہا ہے", waiting: "آپریٹر کا انتظار",
      error: "پیغام نہیں بھیجا گیا۔ کنکشن چیک کریں اور دوبارہ کوشش کریں۔", offline: "کنکشن ٹوٹ گیا، دوبارہ کوشش…",
      you: "آپ", bot: "Orienta (خودکار)", operator: "آپریٹر", system: "اطلاع", location: "📍 مقام بھیج دیا گیا", tools: "چیٹ کے اختیارات",
    },
    zh: {
      launcher: "需要帮助吗？请给我们写信息", automated: "自动助手，不是真人", close: "关闭聊天",
      quickExit: "立即退出", quickExitHelp: "马上离开这个页面，并从这台设备上删除聊天",
      human: "和真人交谈", language: "语言", del: "删除对话", input: "写一条信息",
      placeholder: "请在这里用您的语言写…", send: "发送", typing: "Orienta 正在输入…", log: "对话", quick: "快速回复",
      intro: "您好！我是 Orienta，一个自动助手。我帮您找米兰和米兰南部的社会服务。请用您的语言写。",
      sos: "紧急危险：112 · 暴力：1522", withOperator: "客服正在回复您", waiting: "正在等待客服",
      error: "信息没有发出。请检查网络连接，然后再试一次。", offline: "连接中断，正在重试…",
      you: "您", bot: "Orienta（自动）", operator: "客服", system: "通知", location: "📍 位置已发送", tools: "聊天选项",
    },
    bn: {
      launcher: "সাহায্য দরকার? আমাদের লিখুন", automated: "স্বয়ংক্রিয় সহকারী, কোনো মানুষ নয়", close: "চ্যাট বন্ধ করুন",
      quickExit: "দ্রুত বেরিয়ে যান", quickExitHelp: "এখনই এই পেজ ছেড়ে যান এবং এই ডিভাইস থেকে চ্যাট মুছে ফেলুন",
      human: "মানুষের সাথে কথা বলুন", language: "ভাষা", del: "কথোপকথন মুছুন", input: "একটি বার্তা লিখুন",
      placeholder: "এখানে আপনার ভাষায় লিখুন…", send: "পাঠান", typing: "Orienta লিখছে…", log: "কথোপকথন", quick: "দ্রুত উত্তর",
      intro: "হ্যালো! আমি Orienta, একটি স্বয়ংক্রিয় সহকারী। আমি আপনাকে মিলান এবং দক্ষিণ মিলানে সামাজিক সেবা খুঁজে পেতে সাহায্য করি। আপনার ভাষায় লিখুন।",
      sos: "এখনই বিপদ: 112 · সহিংসতা: 1522", withOperator: "একজন অপারেটর আপনাকে উত্তর দিচ্ছেন", waiting: "একজন অপারেটরের জন্য অপেক্ষা",
      error: "বার্তা পাঠানো যায়নি। আপনার সংযোগ দেখে আবার চেষ্টা করুন।", offline: "সংযোগ বিচ্ছিন্ন, আবার চেষ্টা করা হচ্ছে…",
      you: "আপনি", bot: "Orienta (স্বয়ংক্রিয়)", operator: "অপারেটর", system: "বিজ্ঞপ্তি", location: "📍 অবস্থান পাঠানো হয়েছে", tools: "চ্যাটের বিকল্প",
    },
    tl: {
      launcher: "Kailangan mo ng tulong? Sumulat sa amin", automated: "Awtomatikong assistant, hindi tao", close: "Isara ang chat",
      quickExit: "Umalis agad", quickExitHelp: "Umalis agad sa page na ito at burahin ang chat sa device na ito",
      human: "Kausapin ang isang tao", language: "Wika", del: "Burahin ang usapan", input: "Sumulat ng mensahe",
      placeholder: "Sumulat dito sa iyong wika…", send: "Ipadala", typing: "Nagsusulat si Orienta…", log: "Usapan", quick: "Mabilis na sagot",
      intro: "Kumusta! Ako si Orienta, isang awtomatikong assistant. Tinutulungan kitang makahanap ng mga serbisyong panlipunan sa Milan at sa timog ng Milan. Sumulat sa iyong wika.",
      sos: "Agarang panganib: 112 · Karahasan: 1522", withOperator: "Isang operator ang sumasagot sa iyo", waiting: "Naghihintay ng operator",
      error: "Hindi naipadala ang mensahe. Tingnan ang iyong koneksyon at subukan ulit.", offline: "Nawala ang koneksyon, sinusubukan ulit…",
      you: "Ikaw", bot: "Orienta (awtomatiko)", operator: "Operator", system: "Abiso", location: "📍 Naipadala ang lokasyon", tools: "Mga opsyon ng chat",
    },
    si: {
      launcher: "උදව් අවශ්‍යද? අපට ලියන්න", automated: "ස්වයංක්‍රීය සහායකයෙක්, පුද්ගලයෙක් නොවේ", close: "චැට් එක වසන්න",
      quickExit: "ඉක්මනින් පිටවන්න", quickExitHelp: "දැන්ම මෙම පිටුවෙන් පිටවී, මෙම උපාංගයෙන් චැට් එක මකා දමන්න",
      human: "පුද්ගලයෙකු සමඟ කතා කරන්න", language: "භාෂාව", del: "සංවාදය මකන්න", input: "පණිවිඩයක් ලියන්න",
      placeholder: "ඔබේ භාෂාවෙන් මෙහි ලියන්න…", send: "යවන්න", typing: "Orienta ලියමින් සිටී…", log: "සංවාදය", quick: "ඉක්මන් පිළිතුරු",
      intro: "ආයුබෝවන්! මම Orienta, ස්වයංක්‍රීය සහායකයෙක්. මිලානෝ සහ දකුණු මිලානෝ ප්‍රදේශයේ සමාජ සේවා සොයා ගැනීමට මම ඔබට උදව් කරමි. ඔබේ භාෂාවෙන් ලියන්න.",
      sos: "ක්ෂණික අවදානම: 112 · ප්‍රචණ්ඩත්වය: 1522", withOperator: "සේවකයෙක් ඔබට පිළිතුරු දෙයි", waiting: "සේවකයෙකු එනතුරු බලා සිටිමින්",
      error: "පණිවිඩය යැවුණේ නැත. අන්තර්ජාල සම්බන්ධතාවය පරීක්ෂා කර නැවත උත්සාහ කරන්න.", offline: "අන්තර්ජාල සම්බන්ධතාවය නැති විය, නැවත උත්සාහ කරමින්…",
      you: "ඔබ", bot: "Orienta (ස්වයංක්‍රීය)", operator: "සේවකයා", system: "දැනුම්දීම", location: "📍 ස්ථානය යැව්වා", tools: "චැට් විකල්ප",
    },
    ps: {
      launcher: "مرستې ته اړتیا لرئ؟ موږ ته ولیکئ", automated: "اتوماتیک مرستندوی، انسان نه دی", close: "چټ بند کړئ",
      quickExit: "ژر ووځئ", quickExitHelp: "همدا اوس له دې پاڼې ووځئ او چټ له دې وسیلې پاک کړئ",
      human: "له انسان سره خبرې", language: "ژبه", del: "خبرې اترې پاکې کړئ", input: "پیغام ولیکئ",
      placeholder: "دلته په خپله ژبه ولیکئ…", send: "ولېږئ", typing: "Orienta لیکي…", log: "خبرې اترې", quick: "چټک ځوابونه",
      intro: "سلام! زه Orienta یم، یو اتوماتیک مرستندوی. زه له تاسو سره په میلان او جنوبي میلان کې د ټولنیزو خدماتو په موندلو کې مرسته کوم. په خپله ژبه ولیکئ.",
      sos: "سمدستي خطر: 112 · تاوتریخوالی: 1522", withOperator: "یو کارکوونکی تاسو ته ځواب درکوي", waiting: "د یو کارکوونکي انتظار",
      error: "پیغام ونه لېږل شو. خپل انټرنېټ وګورئ او بیا هڅه وکړئ.", offline: "اړیکه پرې شوه، بیا هڅه کېږي…",
      you: "تاسو", bot: "Orienta (اتوماتیک)", operator: "کارکوونکی", system: "خبرتیا", location: "📍 ځای ولېږل شو", tools: "د چټ انتخابونه",
    },
    so: {
      launcher: "Caawimaad ma u baahan tahay? Noo soo qor", automated: "Kaaliye otomaatig ah, ma aha qof", close: "Xir wadahadalka",
      quickExit: "Ka bax hadda", quickExitHelp: "Hadda ka bax boggan oo wadahadalka ka tirtir qalabkan",
      human: "La hadal qof", language: "Luqadda", del: "Tirtir wadahadalka", input: "Qor fariin",
      placeholder: "Halkan ku qor luqaddaada…", send: "Dir", typing: "Orienta ayaa qoraya…", log: "Wadahadal", quick: "Jawaabo gaaban",
      intro: "Soo dhawoow! Waxaan ahay Orienta, kaaliye otomaatig ah. Waxaan kaa caawiyaa inaad hesho adeegyada bulshada ee Milano iyo Koonfurta Milano. Ku qor luqaddaada.",
      sos: "Khatar degdeg ah: 112 · Xadgudub: 1522", withOperator: "Shaqaale ayaa kuu jawaabaya", waiting: "Waxaad sugaysaa shaqaale",
      error: "Fariinta lama dirin. Hubi xiriirka internetka oo mar kale isku day.", offline: "Xiriirka wuu go'ay, mar kale ayaan isku dayayaa…",
      you: "Adiga", bot: "Orienta (otomaatig)", operator: "Shaqaale", system: "Ogeysiis", location: "📍 Goobta waa la diray", tools: "Xulashooyinka",
    },
    ti: {
      launcher: "ሓገዝ የድልየኩም ድዩ? ጽሓፉልና", automated: "ኣውቶማቲክ ሓጋዚ፣ ሰብ ኣይኮነን", close: "ቻት ዕጸዉ",
      quickExit: "ብቕልጡፍ ውጽኡ", quickExitHelp: "ሕጂ ካብዚ ገጽ ውጽኡ፣ ነቲ ቻት ድማ ካብዚ መሳርሒ ደምስሱ",
      human: "ምስ ሰብ ተዛረቡ", language: "ቋንቋ", del: "ዝርርብ ደምስሱ", input: "መልእኽቲ ጽሓፉ",
      placeholder: "ኣብዚ ብቋንቋኹም ጽሓፉ…", send: "ስደዱ", typing: "Orienta ይጽሕፍ ኣሎ…", log: "ዝርርብ", quick: "ቅልጡፍ መልስታት",
      intro: "ሰላም! ኣነ Orienta እየ፣ ኣውቶማቲክ ሓጋዚ። ኣብ ሚላኖን ደቡብ ሚላኖን ማሕበራዊ ኣገልግሎታት ንክትረኽቡ እሕግዘኩም። ብቋንቋኹም ጽሓፉ።",
      sos: "ህጹጽ ሓደጋ: 112 · ዓመጽ: 1522", withOperator: "ሰራሕተኛ ይምልሰልኩም ኣሎ", waiting: "ሰራሕተኛ ትጽበዩ ኣለኹም",
      error: "መልእኽቲ ኣይተላእከን። ርክብ ኢንተርነት ፈትሹ እሞ ደጊምኩም ፈትኑ።", offline: "ርክብ ተቛሪጹ፣ ደጊመ እፍትን ኣለኹ…",
      you: "ንስኹም", bot: "Orienta (ኣውቶማቲክ)", operator: "ሰራሕተኛ", system: "ሓበሬታ", location: "📍 ቦታ ተላኢኹ", tools: "ኣማራጺታት ቻት",
    },
    sq: {
      launcher: "Keni nevojë për ndihmë? Na shkruani", automated: "Asistent automatik, jo një person", close: "Mbyll bisedën",
      quickExit: "Dalje e shpejtë", quickExitHelp: "Largohuni nga kjo faqe tani dhe fshini bisedën nga kjo pajisje",
      human: "Fol me një person", language: "Gjuha", del: "Fshi bisedën", input: "Shkruani një mesazh",
      placeholder: "Shkruani këtu në gjuhën tuaj…", send: "Dërgo", typing: "Orienta po shkruan…", log: "Biseda", quick: "Përgjigje të shpejta",
      intro: "Përshëndetje! Unë jam Orienta, një asistent automatik. Ju ndihmoj të gjeni shërbimet sociale në Milano dhe në jug të Milanos. Shkruani në gjuhën tuaj.",
      sos: "Rrezik i menjëhershëm: 112 · Dhunë: 1522", withOperator: "Ju përgjigjet një operator", waiting: "Në pritje të një operatori",
      error: "Mesazhi nuk u dërgua. Kontrolloni lidhjen dhe provoni përsëri.", offline: "Lidhja u ndërpre, po provoj përsëri…",
      you: "Ju", bot: "Orienta (automatik)", operator: "Operator", system: "Njoftim", location: "📍 Vendndodhja u dërgua", tools: "Opsionet e bisedës",
    },
  };
  function t(key) {
    var d = UI[state.lang] || UI.en;
    return d[key] || UI.en[key] || UI.it[key] || key;
  }

  /* ---------- storage: one key, removed completely when the conversation ends ---------- */
  function load() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY) || "null") || {};
    } catch (e) {
      return {};
    }
  }
  function save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ api: API, session: state.session, lang: state.lang, open: state.open }));
    } catch (e) { /* private mode: the conversation just does not survive a reload */ }
  }
  function forget() {
    var stores = [];
    try { stores.push(localStorage); } catch (e) { /* blocked */ }
    try { stores.push(sessionStorage); } catch (e) { /* blocked */ }
    stores.forEach(function (s) {
      for (var i = s.length - 1; i >= 0; i--) {
        var k = s.key(i);
        if (k && k.indexOf("orienta.") === 0) s.removeItem(k);
      }
    });
  }

  var saved = load();
  if (saved.api && saved.api !== API) saved = {};
  var pageLang = (script && script.getAttribute("data-lang")) || "";
  var navLang = ((navigator.language || "it").split("-")[0] || "it").toLowerCase();
  var state = {
    session: saved.session || null, // {sessionId, token}
    lang: LANGS.indexOf(saved.lang) >= 0 ? saved.lang : LANGS.indexOf(pageLang) >= 0 ? pageLang : LANGS.indexOf(navLang) >= 0 ? navLang : "it",
    open: !!saved.open,
    lastId: 0,
    seen: {}, // message id -> element
    lastQuick: null,
    convState: "bot",
    ws: null,
    wsRetry: 0,
    wsTimer: 0,
    sending: 0,
    loaded: false,
  };

  /* ---------- DOM ---------- */
  function el(tag, cls, attrs) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  var css = el("link", null, { rel: "stylesheet", href: API + "/widget.css" });
  document.head.appendChild(css);

  var root = el("div", "orienta-root", { id: "orienta-widget" });
  var launcher = el("button", "orienta-launcher", { type: "button", "aria-expanded": "false", "aria-controls": "orienta-panel" });
  var launcherIcon = el("span", "orienta-launcher-icon", { "aria-hidden": "true" });
  var launcherText = el("span", "orienta-launcher-text");
  launcher.appendChild(launcherIcon);
  launcher.appendChild(launcherText);

  var panel = el("section", "orienta-panel", { id: "orienta-panel", role: "dialog", "aria-labelledby": "orienta-title", "aria-describedby": "orienta-automated" });
  panel.hidden = true;

  var head = el("header", "orienta-head");
  var titles = el("div", "orienta-titles");
  var title = el("h2", "orienta-title", { id: "orienta-title" });
  var automated = el("p", "orienta-automated", { id: "orienta-automated" });
  var status = el("p", "orienta-status", { role: "status" });
  titles.appendChild(title);
  titles.appendChild(automated);
  titles.appendChild(status);
  var exitBtn = el("button", "orienta-exit", { type: "button" });
  var closeBtn = el("button", "orienta-close", { type: "button" });
  var closeIcon = el("span", null, { "aria-hidden": "true" });
  closeIcon.textContent = "✕";
  closeBtn.appendChild(closeIcon);
  head.appendChild(titles);
  head.appendChild(exitBtn);
  head.appendChild(closeBtn);

  var tools = el("div", "orienta-tools", { role: "group" });
  var langBtn = el("button", "orienta-tool", { type: "button" });
  var delBtn = el("button", "orienta-tool orienta-delete", { type: "button" });
  tools.appendChild(langBtn);
  tools.appendChild(delBtn);

  var log = el("div", "orienta-log", { role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var intro = el("div", "orienta-msg orienta-bot orienta-intro");
  var introText = el("p", "orienta-text");
  intro.appendChild(introText);
  log.appendChild(intro);

  var typing = el("div", "orienta-typing", { "aria-hidden": "true" });
  typing.hidden = true;
  var typingDots = el("span", "orienta-dots");
  for (var d = 0; d < 3; d++) typingDots.appendChild(el("span"));
  var typingText = el("span", "orienta-typing-text");
  typing.appendChild(typingDots);
  typing.appendChild(typingText);

  var quick = el("div", "orienta-quick", { role: "group" });
  var humanBtn = el("button", "orienta-human", { type: "button" });

  var form = el("form", "orienta-composer");
  var label = el("label", "orienta-sr", { for: "orienta-input" });
  var input = el("textarea", "orienta-input", { id: "orienta-input", rows: "2", maxlength: "4000", autocomplete: "off" });
  var sendBtn = el("button", "orienta-send", { type: "submit" });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendBtn);
  var sos = el("p", "orienta-sos");

  panel.appendChild(head);
  panel.appendChild(tools);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(quick);
  panel.appendChild(humanBtn);
  panel.appendChild(form);
  panel.appendChild(sos);
  root.appendChild(panel);
  root.appendChild(launcher);

  function applyLanguage() {
    var dir = RTL[state.lang] ? "rtl" : "ltr";
    panel.setAttribute("lang", state.lang);
    panel.setAttribute("dir", dir);
    launcher.setAttribute("lang", state.lang);
    launcher.setAttribute("dir", dir);
    launcherText.textContent = t("launcher");
    title.textContent = t("title");
    automated.textContent = t("automated");
    exitBtn.textContent = t("quickExit");
    exitBtn.setAttribute("title", t("quickExitHelp"));
    exitBtn.setAttribute("aria-label", t("quickExit") + ": " + t("quickExitHelp"));
    closeBtn.setAttribute("aria-label", t("close"));
    tools.setAttribute("aria-label", t("tools"));
    langBtn.textContent = t("language");
    delBtn.textContent = t("del");
    log.setAttribute("aria-label", t("log"));
    intro.setAttribute("lang", state.lang);
    intro.setAttribute("dir", dir);
    introText.textContent = t("intro");
    typingText.textContent = t("typing");
    quick.setAttribute("aria-label", t("quick"));
    humanBtn.textContent = t("human");
    label.textContent = t("input");
    input.setAttribute("placeholder", t("placeholder"));
    sendBtn.textContent = t("send");
    sos.textContent = t("sos");
    showStatus();
  }
  function setLang(lang) {
    if (!lang || LANGS.indexOf(lang) < 0 || lang === state.lang) return;
    state.lang = lang;
    save();
    applyLanguage();
  }
  function showStatus(offline) {
    var s = offline ? t("offline") : state.convState === "with_operator" ? t("withOperator") : state.convState === "waiting_for_operator" ? t("waiting") : "";
    status.textContent = s;
    status.hidden = !s;
  }

  /* ---------- rendering (textContent only) ---------- */
  var COMMAND_LABEL = { "/human": "human", "/language": "language", "/delete": "del" };
  function userLabel(text) {
    if (text === "") return t("location");
    if (COMMAND_LABEL[text]) return t(COMMAND_LABEL[text]);
    if (text.charAt(0) === "/") return text;
    if (state.lastQuick) for (var i = 0; i < state.lastQuick.length; i++) if (state.lastQuick[i].value === text) return state.lastQuick[i].label;
    return text;
  }
  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }
  function bubble(from, text, lang) {
    var m = el("div", "orienta-msg orienta-" + from);
    var who = el("span", "orienta-who" + (from === "user" || from === "bot" ? " orienta-sr" : ""));
    who.textContent = t(from === "user" ? "you" : from) + ": ";
    var body = el("p", "orienta-text");
    body.textContent = text;
    m.appendChild(who);
    m.appendChild(body);
    setMsgLang(m, from, lang);
    return m;
  }
  function setMsgLang(m, from, lang) {
    var l = lang || state.lang;
    m.setAttribute("lang", l);
    // The person may write in any script: let the browser follow the text; everything else follows its language.
    m.setAttribute("dir", from === "user" && !RTL[l] ? "auto" : RTL[l] ? "rtl" : "ltr");
  }
  function place(m, id) {
    if (id === undefined || id === null) {
      log.appendChild(m);
      return;
    }
    m.setAttribute("data-id", String(id));
    // Keep server order even when the live feed and the HTTP answer arrive in either order.
    var kids = log.querySelectorAll(".orienta-msg[data-id]");
    for (var i = 0; i < kids.length; i++) {
      if (Number(kids[i].getAttribute("data-id")) > id) {
        log.insertBefore(m, kids[i]);
        return;
      }
    }
    log.appendChild(m);
  }
  function services(m, list) {
    if (!list || !list.length) return;
    var ul = el("ul", "orienta-services");
    list.forEach(function (s) {
      var li = el("li");
      li.textContent = s.name;
      ul.appendChild(li);
    });
    m.appendChild(ul);
  }
  /** One message from the server (POST answer, live feed or transcript). Returns true when it was new. */
  function receive(msg, lang) {
    if (msg.id !== undefined && msg.id !== null) {
      if (state.seen[msg.id]) return false;
      if (msg.id > state.lastId) state.lastId = msg.id;
    }
    // The person's own messages are shown by this page when sent; the server's copies matter only when the page
    // rebuilds the conversation (first load, reload).
    if (msg.from === "user" && state.loaded) return false;
    var m = bubble(msg.from, msg.from === "user" ? userLabel(msg.text) : msg.text, msg.lang || lang);
    if (msg.from !== "user") services(m, msg.services);
    if (msg.id !== undefined && msg.id !== null) state.seen[msg.id] = m;
    place(m, msg.id);
    if (msg.from !== "user") {
      state.lastQuick = msg.quickReplies && msg.quickReplies.length ? msg.quickReplies : null;
      showQuick(state.lastQuick);
    }
    scrollDown();
    return true;
  }
  function showQuick(list) {
    quick.textContent = "";
    quick.hidden = !list;
    (list || []).forEach(function (q) {
      var b = el("button", "orienta-qr", { type: "button" });
      b.textContent = q.label;
      if (/^lang:/.test(q.value)) b.setAttribute("lang", q.value.slice(5));
      if (q.value === "delete:confirm") b.className += " orienta-danger";
      b.addEventListener("click", function () {
        send({ kind: "choice", value: q.value }, q.label);
      });
      quick.appendChild(b);
    });
  }
  function notice(text) {
    var m = bubble("system", text, state.lang);
    m.className += " orienta-local";
    log.appendChild(m);
    scrollDown();
  }
  function resetConversation() {
    closeLive();
    state.session = null;
    state.lastId = 0;
    state.seen = {};
    state.lastQuick = null;
    state.convState = "bot";
    var kids = log.querySelectorAll(".orienta-msg:not(.orienta-intro)");
    for (var i = 0; i < kids.length; i++) log.removeChild(kids[i]);
    showQuick(null);
    showStatus();
  }

  /* ---------- API ---------- */
  function api(method, path, body, opts) {
    var headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (state.session) headers.Authorization = "Bearer " + state.session.token;
    var init = { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit", cache: "no-store" };
    if (opts && opts.keepalive) init.keepalive = true;
    return fetch(API + path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var err = new Error((j.error && j.error.message) || r.statusText);
          err.status = r.status;
          throw err;
        }
        return j;
      });
    });
  }
  function ensureSession() {
    if (state.session) return Promise.resolve(state.session);
    return api("POST", "/api/webchat/sessions", { lang: state.lang }).then(function (s) {
      state.session = { sessionId: s.sessionId, token: s.token };
      save();
      connectLive();
      return state.session;
    });
  }
  function path(suffix) {
    return "/api/webchat/sessions/" + encodeURIComponent(state.session.sessionId) + (suffix || "");
  }
  function setTyping(on) {
    state.sending += on ? 1 : -1;
    typing.hidden = state.sending <= 0;
    if (!typing.hidden) scrollDown();
  }

  function clientId() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    var out = "";
    for (var i = 0; i < b.length; i++) out += ("0" + b[i].toString(16)).slice(-2);
    return out;
  }
  /** Network failures (not HTTP errors) are retried twice with the same client message id. */
  function postWithRetry(payload, attempt) {
    return api("POST", path("/messages"), payload).catch(function (e) {
      if (e && e.status) throw e;
      if (attempt >= 2) throw e;
      return new Promise(function (resolve) { setTimeout(resolve, attempt ? 3000 : 1000); }).then(function () {
        return postWithRetry(payload, attempt + 1);
      });
    });
  }

  /** Sends one inbound message; `shown` is what the person sees in their own bubble. */
  function send(body, shown) {
    var echo = bubble("user", shown, state.lang);
    echo.className += " orienta-sending";
    log.appendChild(echo);
    showQuick(null);
    scrollDown();
    setTyping(true);
    // One id per message: the server answers a repeated id with the first answer, so retrying never duplicates.
    var payload = {};
    for (var k in body) payload[k] = body[k];
    payload.clientMessageId = clientId();
    return ensureSession()
      .then(function () { return postWithRetry(payload, 0); })
      .then(function (r) {
        echo.classList.remove("orienta-sending");
        var lang = r.messages.length ? r.messages[0].lang : null;
        if (lang) setLang(lang);
        setMsgLang(echo, "user", state.lang);
        if (r.deleted) {
          forget();
          resetConversation();
          save();
          r.messages.forEach(function (m) { notice(m.text); });
          return;
        }
        r.messages.forEach(function (m) { receive(m, m.lang); });
        if (r.handoff && state.convState === "bot") {
          state.convState = "waiting_for_operator";
          showStatus();
        }
      })
      .catch(function (e) {
        echo.classList.remove("orienta-sending");
        echo.classList.add("orienta-failed");
        if (e && (e.status === 404 || e.status === 401)) {
          // The conversation no longer exists (erased or expired): start a new one next time.
          forget();
          resetConversation();
          save();
        }
        notice(t("error"));
        showQuick(state.lastQuick);
      })
      .then(function () { setTyping(false); });
  }

  /** Whatever arrived after the last message we have (first load and every reconnection). */
  function catchUp() {
    if (!state.session) return Promise.resolve();
    return api("GET", path("/messages?after=" + state.lastId))
      .then(function (r) {
        if (r.lang) setLang(r.lang);
        if (r.state) {
          state.convState = r.state;
          showStatus();
        }
        r.messages.forEach(function (m) { receive(m, r.lang); });
      })
      .catch(function (e) {
        if (e && (e.status === 404 || e.status === 401)) {
          forget();
          resetConversation();
          save();
        }
      });
  }

  /* ---------- live feed with reconnection ---------- */
  function closeLive() {
    clearTimeout(state.wsTimer);
    if (state.ws) {
      state.ws.onclose = null;
      try { state.ws.close(); } catch (e) { /* already closed */ }
    }
    state.ws = null;
  }
  function connectLive() {
    if (!state.session || state.ws || !window.WebSocket) return;
    var u = new URL(API + "/ws/webchat");
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    u.searchParams.set("session", state.session.sessionId);
    u.searchParams.set("token", state.session.token);
    var ws = new WebSocket(u.toString());
    state.ws = ws;
    ws.onopen = function () {
      var wasDown = state.wsRetry > 0;
      state.wsRetry = 0;
      if (wasDown) showStatus();
      catchUp();
    };
    ws.onmessage = function (ev) {
      var data;
      try { data = JSON.parse(ev.data); } catch (e) { return; }
      if (data.type === "message" && data.message) receive(data.message, state.lang);
      else if (data.type === "state") {
        state.convState = data.state;
        showStatus();
      }
    };
    ws.onclose = function () {
      state.ws = null;
      if (!state.session) return;
      state.wsRetry++;
      if (state.wsRetry > 1) showStatus(true);
      var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(state.wsRetry - 1, 5))) * (0.75 + Math.random() * 0.5);
      state.wsTimer = setTimeout(connectLive, delay);
    };
  }
  window.addEventListener("online", function () {
    if (state.session && !state.ws) {
      clearTimeout(state.wsTimer);
      connectLive();
    }
  });

  /* ---------- open / close / quick exit ---------- */
  function openPanel(focus) {
    state.open = true;
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("orienta-is-open");
    save();
    scrollDown();
    if (focus) input.focus();
  }
  function closePanel() {
    state.open = false;
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("orienta-is-open");
    save();
    launcher.focus();
  }
  function quickExit() {
    var s = state.session;
    closeLive();
    forget();
    state.session = null;
    if (s) {
      try {
        fetch(API + "/api/webchat/sessions/" + encodeURIComponent(s.sessionId), {
          method: "DELETE", headers: { Authorization: "Bearer " + s.token }, keepalive: true, credentials: "omit",
        }).catch(function () { /* leaving anyway */ });
      } catch (e) { /* leaving anyway */ }
    }
    log.textContent = "";
    location.replace(NEUTRAL_PAGE);
  }

  launcher.addEventListener("click", function () { openPanel(true); });
  closeBtn.addEventListener("click", closePanel);
  exitBtn.addEventListener("click", quickExit);
  panel.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      ev.preventDefault();
      closePanel();
    }
  });
  humanBtn.addEventListener("click", function () { send({ kind: "command", command: "human" }, t("human")); });
  langBtn.addEventListener("click", function () { send({ kind: "command", command: "language" }, t("language")); });
  delBtn.addEventListener("click", function () { send({ kind: "command", command: "delete" }, t("del")); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  input.addEventListener("keydown", function (ev) {
    // Enter sends, Shift+Enter starts a new line (not while composing with an input method).
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  function start() {
    document.body.appendChild(root);
    applyLanguage();
    showQuick(null);
    if (state.open) openPanel(false);
    if (state.session)
      catchUp().then(function () {
        state.loaded = true;
        connectLive();
      });
    else state.loaded = true;
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
