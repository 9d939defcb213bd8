import type { TFunction } from "i18next";
import { LANGUAGES, LANGUAGE_NAMES, isLang, type Lang } from "../language/languages.js";
import { detectLanguage } from "../language/detect.js";
import { translator } from "../language/i18n.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { Contact, Service } from "../knowledge/schema.js";
import type { HybridIndex, SearchHit, SearchResult } from "../knowledge/search/index.js";
import type { Conversation, NewMessage, Store } from "../store/store.js";
import type { Inbound, Outbound, QuickReply, ServiceRef, TurnResult } from "./messages.js";
import { triage, type Triage } from "./triage.js";
import { TRIAGE_SEARCH_HINTS, type TriageKind } from "./triage-lexicon.js";
import { extractProfile, findArea, mergeProfile, type Profile, type ProfileField } from "./profile.js";
import { checkEligibility, type CriterionCheck } from "./eligibility.js";
import { renderCard, renderContact, renderHours, localized } from "./answer.js";
import { asksForHuman, followUpKind } from "./intents.js";
import { isOperatorTime, type OfficeHours } from "./office-hours.js";
import { redactText } from "../privacy/redact.js";
import type { LlmAssistant } from "../llm/assistant.js";

export interface EngineOptions {
  kb: KnowledgeBase;
  index: HybridIndex;
  retentionDays: number;
  officeHours?: OfficeHours;
  /** Services shown per answer. */
  maxCards?: number;
  /** Mask identifiers in the stored copy of the person's messages (the turn itself sees the original). */
  redactTranscripts?: boolean;
  /** Optional LLM: rephrases ordinary answers from the shown entries (checked; else the template stays). Never on urgent turns. */
  llm?: LlmAssistant;
}

/** What a turn decided before it is stored: the new conversation state and the bot's messages. */
interface Decision {
  messages: Outbound[];
  services: ServiceRef[];
  handoff: boolean;
  /** Nothing fitted: only the general access points were offered. */
  missed?: boolean;
}

/** Searches of fixed texts kept in memory (a few per language and area); cleared whole if it ever grows past this. */
const MEMO_LIMIT = 1000;

const ref = (s: Service): ServiceRef => ({ id: s.id, name: s.name });
const PROFILE_ORDER: ProfileField[] = ["municipality", "age", "children", "isee", "legalStatus", "disability"];

/**
 * The conversation engine. It knows nothing of Telegram, Slack or HTTP: `turn` maps a conversation and an
 * inbound message to a new conversation state and outbound messages; `handle` adds loading and storing.
 */
export class Engine {
  private readonly maxCards: number;
  private readonly memo = new Map<string, Promise<SearchResult>>();
  /** Picked out of the knowledge base once, not on every turn (it may hold thousands of services). */
  private readonly accessPoints: Service[];
  private readonly emergencyServices: Service[];
  constructor(private readonly o: EngineOptions) {
    this.maxCards = o.maxCards ?? 3;
    this.accessPoints = o.kb.services.filter((s) => s.general_access_point);
    this.emergencyServices = o.kb.services.filter((s) => s.categories.includes("emergency"));
  }

  get kb(): KnowledgeBase {
    return this.o.kb;
  }

  get llm(): LlmAssistant | undefined {
    return this.o.llm;
  }

  /** Plain retrieval, for operators looking for a service card to send. */
  async searchServices(query: string, limit = 10): Promise<Service[]> {
    const r = await this.o.index.search(query, detectLanguage(query).lang, { limit });
    return r.hits.map((h) => h.service);
  }

  /** Loads the conversation, decides, and stores the inbound and outbound messages in one transaction. */
  async handle(store: Store, conversation: string | Conversation, inbound: Inbound, clientId?: string): Promise<TurnResult> {
    // The caller may pass the conversation it has just loaded (it is changed in place): one query fewer.
    const conv = typeof conversation === "string" ? await store.getConversation(conversation) : conversation;
    if (!conv) throw new Error(`unknown conversation ${String(conversation)}`);
    if (clientId) {
      // The same message again (the first reply was lost): answer with what was stored, do nothing twice.
      const replay = await store.findTurn(conv.id, clientId);
      if (replay) {
        const replies = replay.slice(1);
        const messages: Outbound[] = replies.map((m) => ({
          from: m.sender === "user" ? "bot" : m.sender,
          text: m.text,
          lang: (m.payload.lang as Lang | undefined) ?? conv.lang,
          ...(m.payload.quickReplies ? { quickReplies: m.payload.quickReplies as QuickReply[] } : {}),
          ...(m.payload.services ? { services: m.payload.services as ServiceRef[] } : {}),
        }));
        return { conversationId: conv.id, lang: conv.lang, messages, urgent: conv.urgent, handoff: conv.state === "waiting_for_operator", services: messages.flatMap((m) => m.services ?? []), stored: replay, replayed: true };
      }
    }
    if (inbound.kind === "choice" && inbound.value === "delete:confirm" && conv.state !== "with_operator") {
      // Erasure on request: nothing of the conversation is kept, not even this last message.
      await store.deleteConversation(conv.id);
      const text = translator(conv.lang)("delete_done");
      return { conversationId: conv.id, lang: conv.lang, messages: [{ from: "system", text, lang: conv.lang }], urgent: false, handoff: false, services: [], deleted: true };
    }
    const lastServices = conv.context.lastServices ?? [];
    const stateBefore = conv.state;
    const decision = await this.turn(conv, inbound, (c) => store.queuePosition(c.id, c.urgent, c.handoffAt ?? new Date()));
    if (inbound.kind === "choice" && inbound.value.startsWith("fb:") && lastServices.length)
      await store.addFeedback(lastServices, inbound.value === "fb:up", conv.lang);
    const record = inboundRecord(inbound);
    if (this.o.redactTranscripts) record.text = redactText(record.text);
    const toStore: NewMessage[] = [{ ...record, clientId }, ...decision.messages.map(outboundRecord)];
    const { messages: stored, conflict } = await store.saveTurn(conv, toStore, stateBefore);
    if (conflict) {
      // An operator took the conversation while the bot was thinking: the bot says nothing.
      return { conversationId: conv.id, lang: conv.lang, messages: [], urgent: conv.urgent, handoff: false, services: [], stored };
    }
    return {
      stored,
      conversation: conv,
      conversationId: conv.id,
      lang: conv.lang,
      messages: decision.messages,
      urgent: conv.urgent,
      handoff: decision.handoff,
      services: decision.services,
    };
  }

  /**
   * One turn on a conversation object (mutated in place). `position` tells the place in the operators' queue.
   * Pure with respect to storage, so the CLI and the evaluation can run it without a database.
   */
  async turn(conv: Conversation, inbound: Inbound, position: (c: Conversation) => Promise<number> = async () => 1): Promise<Decision> {
    if (conv.state === "with_operator") return { messages: [], services: [], handoff: false };
    if (conv.state === "closed") conv.state = "bot";
    const t = () => translator(conv.lang);

    switch (inbound.kind) {
      case "command":
        return this.command(conv, inbound.command, inbound.arg, position);
      case "choice":
        return this.choice(conv, inbound.value, position);
      case "file":
        return this.say(conv, [t()("file_received")], [this.humanButton(conv)]);
      case "location":
        conv.profile = mergeProfile(conv.profile, { location: { lat: inbound.lat, lon: inbound.lon } });
        return this.nearest(conv, { lat: inbound.lat, lon: inbound.lon });
      case "text":
        return this.text(conv, inbound.text, position);
    }
  }

  private say(conv: Conversation, texts: string[], quickReplies?: QuickReply[], services: Service[] = []): Decision {
    const messages: Outbound[] = texts.map((text, i) => ({
      from: "bot",
      text,
      lang: conv.lang,
      ...(i === texts.length - 1 && quickReplies?.length ? { quickReplies } : {}),
      ...(i === texts.length - 1 && services.length ? { services: services.map(ref) } : {}),
    }));
    return { messages, services: services.map(ref), handoff: false };
  }

  private humanButton(conv: Conversation): QuickReply {
    return { label: translator(conv.lang)("btn_human"), value: "human" };
  }

  private greeting(conv: Conversation): string[] {
    if (conv.context.greeted) return [];
    conv.context.greeted = true;
    const t = translator(conv.lang);
    return [[t("greeting"), t("privacy_line", { days: this.o.retentionDays }), t("emergency_line")].join("\n")];
  }

  private async command(conv: Conversation, command: string, arg: string | undefined, position: (c: Conversation) => Promise<number>): Promise<Decision> {
    const t = translator(conv.lang);
    switch (command) {
      case "start":
        if (arg && isLang(arg)) conv.lang = arg;
        conv.context.greeted = false;
        return this.say(conv, this.greeting(conv), this.languageButtons());
      case "language":
        if (arg && isLang(arg)) return this.choice(conv, `lang:${arg}`, position);
        return this.say(conv, [t("choose_language")], this.languageButtons());
      case "human":
        return this.handoff(conv, position, false);
      case "privacy":
        return this.say(conv, [t("privacy_info", { days: this.o.retentionDays })]);
      case "delete":
        conv.context.pendingDelete = true;
        return this.say(conv, [t("delete_confirm")], [
          { label: t("btn_confirm_delete"), value: "delete:confirm" },
          { label: t("btn_cancel"), value: "delete:cancel" },
        ]);
      default:
        return this.say(conv, [t("not_understood")]);
    }
  }

  private languageButtons(): QuickReply[] {
    return LANGUAGES.map((l) => ({ label: LANGUAGE_NAMES[l], value: `lang:${l}` }));
  }

  private async choice(conv: Conversation, value: string, position: (c: Conversation) => Promise<number>): Promise<Decision> {
    const [kind, a, b] = value.split(":");
    const t = () => translator(conv.lang);
    if (kind === "lang" && a && isLang(a)) {
      conv.lang = a;
      conv.context.langChosen = true;
      return this.say(conv, [...this.greeting(conv), t()("language_set")]);
    }
    if (kind === "human") return this.handoff(conv, position, false);
    if (kind === "delete") {
      // "delete:confirm" is acted on by the channel (it must erase the stored conversation); here only the answer.
      conv.context.pendingDelete = false;
      return this.say(conv, [t()(a === "confirm" ? "delete_done" : "delete_cancelled")]);
    }
    if (kind === "fb") {
      return this.say(conv, [t()("feedback_thanks")]);
    }
    if (kind === "ans" && a && b !== undefined) {
      this.applyAnswer(conv, a as ProfileField, b);
      return this.refine(conv);
    }
    return this.text(conv, value, position);
  }

  private applyAnswer(conv: Conversation, field: ProfileField, value: string): void {
    conv.context.pending = undefined;
    const asked = new Set(conv.context.asked ?? []);
    asked.add(field);
    conv.context.asked = [...asked];
    const p: Partial<Profile> = {};
    switch (field) {
      case "municipality":
        if (this.o.kb.areas.municipalities.some((m) => m.id === value)) p.municipality = value;
        break;
      case "age":
        if (value === "minor") p.age = 16;
        else if (value === "adult") p.age = 40;
        else if (value === "senior") p.age = 70;
        break;
      case "isee":
        if (value !== "skip" && value !== "unknown") p.isee = Number(value);
        break;
      case "children":
      case "disability":
        if (value === "yes" || value === "no") p[field] = value === "yes";
        break;
      case "legalStatus":
        if (["italian", "regular_permit", "asylum_seeker", "undocumented"].includes(value)) p.legalStatus = value as Profile["legalStatus"];
        break;
    }
    conv.profile = mergeProfile(conv.profile, p);
  }

  /** After an answer to a follow-up question: the same search again, now with what we know. */
  private async refine(conv: Conversation): Promise<Decision> {
    const query = conv.context.lastQuery;
    if (!query) return this.say(conv, [translator(conv.lang)("followup_nothing_before")]);
    return this.answer(conv, query, { urgent: false, kinds: [] });
  }

  private async handoff(conv: Conversation, position: (c: Conversation) => Promise<number>, urgent: boolean, prefix: string[] = []): Promise<Decision> {
    const t = translator(conv.lang);
    const already = conv.state === "waiting_for_operator";
    if (urgent) conv.urgent = true;
    if (!already) {
      conv.state = "waiting_for_operator";
      conv.handoffAt = new Date();
    }
    const n = await position(conv);
    const texts = [...prefix];
    if (this.o.officeHours && !isOperatorTime(this.o.officeHours, new Date())) texts.push(t("handoff_offhours"));
    else texts.push(t(already ? "handoff_already" : "handoff_requested", { position: n }));
    const d = this.say(conv, texts);
    d.handoff = true;
    return d;
  }

  private async text(conv: Conversation, raw: string, position: (c: Conversation) => Promise<number>): Promise<Decision> {
    const text = raw.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ").trim();
    if (!text) return this.say(conv, [translator(conv.lang)("not_understood")]);

    // Danger first, on the raw text, before anything else can fail.
    const danger = triage(text);

    const detected = detectLanguage(text);
    if (detected.confident || !conv.context.greeted) {
      if (!conv.context.langChosen || detected.confident) conv.lang = detected.lang;
    }
    const greeting = this.greeting(conv);

    // An answer typed instead of pressing a button.
    const pending = conv.context.pending as ProfileField | undefined;
    const facts = extractProfile(text, this.o.kb.areas);
    conv.profile = mergeProfile(conv.profile, facts);
    if (pending && !danger.urgent) {
      const answered = pending === "municipality" ? facts.municipality !== undefined : pending === "age" ? facts.age !== undefined : pending === "isee" ? facts.isee !== undefined : false;
      if (answered) {
        this.applyAnswer(conv, pending, "");
        conv.profile = mergeProfile(conv.profile, facts);
        const d = await this.refine(conv);
        d.messages.unshift(...greeting.map((g) => ({ from: "bot" as const, text: g, lang: conv.lang })));
        return d;
      }
      conv.context.pending = undefined;
    }

    if (danger.urgent) return this.urgent(conv, text, danger, greeting, position);

    if (asksForHuman(text)) return this.handoff(conv, position, false, greeting);

    const follow = conv.context.lastServices?.length ? followUpKind(text) : undefined;
    if (follow) {
      const d = await this.followUp(conv, follow, text);
      d.messages.unshift(...greeting.map((g) => ({ from: "bot" as const, text: g, lang: conv.lang })));
      return d;
    }

    conv.context.lastQuery = text;
    const d = await this.answer(conv, text, danger);
    if (greeting.length) d.messages.unshift({ from: "bot", text: greeting[0]!, lang: conv.lang });
    if (d.missed) {
      conv.context.failures = (conv.context.failures ?? 0) + 1;
      if (conv.context.failures >= 2) {
        const h = await this.handoff(conv, position, false);
        d.messages.push(...h.messages);
        d.handoff = true;
      }
    } else conv.context.failures = 0;
    return d;
  }

  private ambitoOf(profile: Profile): string | undefined {
    if (!profile.municipality) return undefined;
    return this.o.kb.areas.municipalities.find((x) => x.id === profile.municipality)?.ambito;
  }

  private areaFilter(profile: Profile): ((s: Service) => boolean) | undefined {
    const ambito = this.ambitoOf(profile);
    if (!ambito) return undefined;
    const other = ambito === "milano" ? "visconteo" : "milano";
    return (s) => s.area.scope !== other;
  }

  private async search(conv: Conversation, query: string, limit: number, o: { fit?: boolean; memo?: boolean } = {}): Promise<{ hits: SearchHit[]; fits: boolean }> {
    const options = { limit: limit * 3, filter: this.areaFilter(conv.profile), fit: o.fit };
    let r: SearchResult;
    if (o.memo) {
      // A fixed text (the hints of a kind of danger): the result depends only on the language and the area.
      const key = `${conv.lang}|${this.ambitoOf(conv.profile) ?? ""}|${limit}|${o.fit !== false}|${query}`;
      let cached = this.memo.get(key);
      if (!cached) {
        if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
        cached = this.o.index.search(query, conv.lang, options);
        this.memo.set(key, cached);
        cached.catch(() => this.memo.delete(key));
      }
      r = await cached;
    } else r = await this.o.index.search(query, conv.lang, options);
    // Err towards inclusion: a criterion that is not met demotes a service, it never hides it.
    const scored = r.hits.map((h) => {
      const checks = checkEligibility(h.service, conv.profile, this.o.kb.areas);
      const penalty = checks.filter((c) => c.status === "not_met").length;
      // Where the person lives is unknown: most people who write live in Milan (1.4 million against 124,000).
      const prior = !conv.profile.municipality && h.service.area.scope === "visconteo" ? 0.85
        // A service of the person's own town comes before the same kind of service elsewhere in the area.
        : conv.profile.municipality && h.service.area.municipalities?.includes(conv.profile.municipality) ? 1.15 : 1;
      // Emergency lines answer danger (the triage brings them); in an ordinary answer only when asked for by name.
      const line = h.service.categories.includes("emergency") && !h.via.includes("name") && h.service.area.scope === "national" ? 0.5 : 1;
      return { ...h, score: h.score * prior * line * Math.pow(0.6, penalty) };
    });
    scored.sort((a, b) => b.score - a.score);
    return { hits: scored.slice(0, limit), fits: r.fits };
  }

  private cards(conv: Conversation, services: Service[], message: string): string[] {
    const t = translator(conv.lang);
    return services.map((s) =>
      renderCard(s, {
        lang: conv.lang,
        t,
        kb: this.o.kb,
        checks: checkEligibility(s, conv.profile, this.o.kb.areas),
        message,
        contacts: this.contactsFor(conv, s),
      }),
    );
  }

  /** The contacts worth showing: nearest to the person when we know where they are. */
  private contactsFor(conv: Conversation, s: Service): Contact[] {
    const origin = conv.profile.location ?? this.areaPoint(conv.profile);
    if (!origin || s.contacts.length <= 1) return s.contacts.slice(0, 2);
    return [...s.contacts]
      .sort((a, b) => dist(origin, a.coordinates) - dist(origin, b.coordinates))
      .slice(0, 2);
  }

  private areaPoint(p: Profile): { lat: number; lon: number } | undefined {
    return this.o.kb.areas.municipalities.find((m) => m.id === p.municipality)?.coordinates;
  }

  private async answer(conv: Conversation, query: string, danger: Triage): Promise<Decision> {
    const t = translator(conv.lang);
    const { hits, fits } = await this.search(conv, query, 5);
    if (!fits || hits.length === 0) {
      conv.context.lastServices = [];
      const general = this.generalAccessPoints(conv);
      const texts = [t("no_fit"), t("no_fit_general")];
      return { ...this.say(conv, texts, [this.humanButton(conv)], general), missed: true };
    }
    const shown = hits.slice(0, this.maxCards).map((h) => h.service);
    conv.context.lastServices = shown.map((s) => s.id);
    // The optional LLM writes the opening from the shown entries only; if it is slow, fails or a guardrail trips, the
    // template intro stays. Never for danger: urgent turns are answered by triage before this (see LlmAssistant).
    const llm = this.o.llm && !danger.urgent
      ? await this.o.llm.rewriteAnswer({ lang: conv.lang, question: query, services: shown, contacts: new Map(shown.map((s) => [s.id, this.contactsFor(conv, s)])) })
      : undefined;
    const texts = [llm?.text ?? t("answer_intro"), ...this.cards(conv, shown, query)];
    const question = this.nextQuestion(conv, hits.map((h) => h.service));
    const quick: QuickReply[] = question ? question.replies : [
      { label: t("btn_helpful"), value: "fb:up" },
      { label: t("btn_not_helpful"), value: "fb:down" },
      this.humanButton(conv),
    ];
    if (question) texts.push(question.text);
    return this.say(conv, texts, quick, shown);
  }

  private generalAccessPoints(conv: Conversation): Service[] {
    const filter = this.areaFilter(conv.profile);
    return this.accessPoints.filter((s) => !filter || filter(s)).slice(0, 2);
  }

  /** The one question whose answer would change this answer, not asked before. */
  private nextQuestion(conv: Conversation, services: Service[]): { text: string; replies: QuickReply[] } | undefined {
    const t = translator(conv.lang);
    const asked = new Set(conv.context.asked ?? []);
    const wanted = new Set<ProfileField>();
    const scopes = new Set(services.slice(0, 5).map((s) => s.area.scope));
    if (!conv.profile.municipality && scopes.has("milano") && scopes.has("visconteo")) wanted.add("municipality");
    for (const s of services.slice(0, 3))
      for (const c of checkEligibility(s, conv.profile, this.o.kb.areas) as CriterionCheck[])
        if (c.status === "unknown" && c.asks) wanted.add(c.asks);
    const field = PROFILE_ORDER.find((f) => wanted.has(f) && !asked.has(f));
    if (!field) return undefined;
    asked.add(field);
    conv.context.asked = [...asked];
    conv.context.pending = field;
    const skip = { label: t("qr_skip"), value: `ans:${field}:skip` };
    const yesNo = [
      { label: t("qr_yes"), value: `ans:${field}:yes` },
      { label: t("qr_no"), value: `ans:${field}:no` },
      { label: t("qr_dont_know"), value: `ans:${field}:skip` },
    ];
    switch (field) {
      case "municipality": {
        const towns = ["milano", "rozzano", "pieve-emanuele", "opera", "binasco", "locate-di-triulzi"];
        const replies = towns
          .map((id) => this.o.kb.areas.municipalities.find((m) => m.id === id))
          .filter((m): m is NonNullable<typeof m> => Boolean(m))
          .map((m) => ({ label: m.name, value: `ans:municipality:${m.id}` }));
        return { text: t("ask_municipality"), replies: [...replies, { label: t("qr_other_town"), value: "ans:municipality:other" }] };
      }
      case "age":
        return { text: t("ask_age"), replies: [
          { label: t("qr_age_minor"), value: "ans:age:minor" },
          { label: t("qr_age_adult"), value: "ans:age:adult" },
          { label: t("qr_age_senior"), value: "ans:age:senior" },
          skip,
        ] };
      case "isee":
        return { text: t("ask_isee"), replies: [
          { label: t("qr_isee_10"), value: "ans:isee:9999" },
          { label: t("qr_isee_20"), value: "ans:isee:19999" },
          { label: t("qr_isee_30"), value: "ans:isee:29999" },
          { label: t("qr_isee_more"), value: "ans:isee:40000" },
          { label: t("qr_dont_know"), value: "ans:isee:unknown" },
        ] };
      case "legalStatus":
        return { text: t("ask_legal_status"), replies: [
          { label: t("qr_status_citizen"), value: "ans:legalStatus:italian" },
          { label: t("qr_status_permit"), value: "ans:legalStatus:regular_permit" },
          { label: t("qr_status_asylum"), value: "ans:legalStatus:asylum_seeker" },
          { label: t("qr_status_none"), value: "ans:legalStatus:undocumented" },
          skip,
        ] };
      case "children":
      case "disability":
        return { text: t(field === "children" ? "ask_children" : "ask_disability"), replies: yesNo };
    }
  }

  private async urgent(conv: Conversation, text: string, danger: Triage, greeting: string[], position: (c: Conversation) => Promise<number>): Promise<Decision> {
    const t = translator(conv.lang);
    conv.context.lastQuery = text;
    const filter = this.areaFilter(conv.profile);
    const lines = this.emergencyLines(danger.kinds, filter);
    // Two searches, merged: the person's own words, and the kind of danger (so the places that answer it come up).
    const hints = danger.kinds.map((k) => TRIAGE_SEARCH_HINTS[k]).join(" ");
    const own = await this.search(conv, text, 8, { fit: false });
    const steer = await this.search(conv, hints, 8, { fit: false, memo: true });
    const merged = new Map<string, SearchHit>();
    for (const h of own.hits) merged.set(h.service.id, { ...h });
    for (const h of steer.hits) {
      const m = merged.get(h.service.id);
      if (m) m.score += h.score;
      else merged.set(h.service.id, { ...h });
    }
    const hits = [...merged.values()].sort((a, b) => b.score - a.score);
    // A place that answers this kind of danger (a shelter for "no shelter") gains over one that only matches words.
    const relevant = hits
      .filter((h) => !lines.includes(h.service))
      .map((h) => ({ s: h.service, score: h.score * (answers(h.service, danger.kinds) ? 1.5 : 1) }))
      .sort((a, b) => b.score - a.score)
      .map((x) => x.s);
    const general = this.o.kb.byId.get("numero-unico-emergenza-112");
    const specific = lines.filter((s) => s !== general);
    // The most specific number, then the places that fit best, then 112 and the other lines.
    const places = relevant.slice(0, 3);
    const named = uniq([...specific.slice(0, 1), ...places.slice(0, 2), ...(general ? [general] : []), ...specific.slice(1), ...places.slice(2)]);
    conv.context.lastServices = places.map((s) => s.id);
    const lineTexts = [...specific, ...(general ? [general] : [])].map((s) => emergencyLine(s, conv.lang, t));
    const cards = this.cards(conv, places, text);
    const h = await this.handoff(conv, position, true);
    const messages: Outbound[] = [
      ...greeting.map((g) => ({ from: "bot" as const, text: g, lang: conv.lang })),
      { from: "bot", text: [t("urgent_intro"), ...lineTexts].join("\n"), lang: conv.lang },
      ...cards.map((c) => ({ from: "bot" as const, text: c, lang: conv.lang })),
      { from: "bot", text: [t("urgent_operator"), ...h.messages.map((m) => m.text)].join("\n"), lang: conv.lang, services: named.map(ref) },
    ];
    return { messages, services: named.map(ref), handoff: true };
  }

  private emergencyLines(kinds: TriageKind[], filter?: (s: Service) => boolean): Service[] {
    const lines = this.emergencyServices.filter((s) => !filter || filter(s));
    const out: Service[] = [];
    for (const k of kinds)
      for (const s of lines)
        if ((s.emergency_kinds as string[] | undefined)?.includes(k) && !out.includes(s) && s.area.scope === "national") out.push(s);
    // The most specific line first: fewer kinds = more specific (1522 before 112).
    return out.sort((a, b) => (a.emergency_kinds?.length ?? 9) - (b.emergency_kinds?.length ?? 9));
  }

  private async followUp(conv: Conversation, kind: "where" | "hours" | "nearer", text: string): Promise<Decision> {
    const t = translator(conv.lang);
    const services = (conv.context.lastServices ?? []).map((id) => this.o.kb.byId.get(id)).filter((s): s is Service => Boolean(s));
    if (kind === "nearer") {
      const area = findArea(text, this.o.kb.areas);
      if (area.municipality) conv.profile = mergeProfile(conv.profile, area);
      // Services of the other ambito (Milan's, for someone in Rozzano) are not "nearer": search again for this town.
      const filter = this.areaFilter(conv.profile);
      if (filter && conv.context.lastQuery && services.some((s) => !filter(s))) return this.refine(conv);
      const point = this.areaPoint(conv.profile);
      if (point) return this.nearest(conv, point, this.o.kb.areas.municipalities.find((m) => m.id === conv.profile.municipality)?.name);
    }
    const lines: string[] = [t(kind === "hours" ? "followup_hours" : "followup_where")];
    for (const s of services) {
      lines.push(`▪️ ${s.name}`);
      const contacts = this.contactsFor(conv, s);
      if (contacts.length === 0) lines.push(t("no_contact", { who: (s.ask ?? ["contact-center-020202"]).map((id) => this.o.kb.byId.get(id)?.name ?? id).join(", ") }));
      for (const c of contacts) {
        if (kind === "hours") lines.push(`🕘 ${c.label ? `${c.label}: ` : ""}${renderHours(c, t) ?? t("hours_unknown")}`);
        else lines.push(...renderContact(c, t));
      }
    }
    return this.say(conv, [lines.join("\n")], undefined, services);
  }

  private nearest(conv: Conversation, point: { lat: number; lon: number }, place?: string): Decision {
    const t = translator(conv.lang);
    const last = (conv.context.lastServices ?? []).map((id) => this.o.kb.byId.get(id)).filter((s): s is Service => Boolean(s));
    const pool = last.length ? last : this.accessPoints;
    const located = pool
      .flatMap((s) => s.contacts.filter((c) => c.coordinates).map((c) => ({ s, c, d: dist(point, c.coordinates) })))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3);
    if (located.length === 0) return this.say(conv, [t("location_none")]);
    const lines = [place ? t("nearest_intro", { place }) : t("location_intro")];
    for (const { s, c, d } of located) lines.push(`▪️ ${s.name} (${t("distance_km", { km: d.toFixed(1) })})`, ...renderContact(c, t));
    return this.say(conv, [lines.join("\n")], undefined, uniq(located.map((x) => x.s)));
  }
}

function answers(s: Service, kinds: TriageKind[]): boolean {
  return kinds.some((k) => (s.emergency_kinds as string[] | undefined)?.includes(k));
}

function emergencyLine(s: Service, lang: Lang, t: TFunction): string {
  const phone = s.contacts.find((c) => c.phone?.length)?.phone?.[0];
  const hours = s.contacts.find((c) => c.hours)?.hours;
  const when = localized(s, lang).text.how_to_access;
  return `☎️ ${phone ? `${phone} – ` : ""}${s.name}${hours === "always" ? ` (${t("hours_always")})` : ""}: ${when}`;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Distance in km (equirectangular: accurate enough within a metropolitan area). */
function dist(a: { lat: number; lon: number }, b?: { lat: number; lon: number }): number {
  if (!b) return Number.POSITIVE_INFINITY;
  const x = ((b.lon - a.lon) * Math.PI) / 180 * Math.cos(((a.lat + b.lat) * Math.PI) / 360);
  const y = ((b.lat - a.lat) * Math.PI) / 180;
  return Math.sqrt(x * x + y * y) * 6371;
}

export function inboundRecord(i: Inbound): NewMessage {
  switch (i.kind) {
    case "text":
      return { sender: "user", kind: "text", text: i.text };
    case "choice":
      return { sender: "user", kind: "choice", text: i.value, payload: { value: i.value } };
    case "location":
      return { sender: "user", kind: "location", text: "", payload: { lat: i.lat, lon: i.lon } };
    case "file":
      return { sender: "user", kind: "file", text: i.name ?? "", payload: { mime: i.mime ?? null } };
    case "command":
      return { sender: "user", kind: "command", text: `/${i.command}${i.arg ? ` ${i.arg}` : ""}` };
  }
}

export function outboundRecord(m: Outbound): NewMessage {
  return {
    sender: m.from,
    kind: "text",
    text: m.text,
    payload: { lang: m.lang, ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}), ...(m.services ? { services: m.services } : {}) },
  };
}
