// Orienta operator console. Same-origin only; all text via textContent; every POST carries X-CSRF-Token.
(function () {
  "use strict";
  var RTL = { ar: true, ur: true, fa: true, ps: true };
  var LANG_NAMES = {
    it: "italiano", en: "inglese", fr: "francese", es: "spagnolo", ar: "arabo", uk: "ucraino", ru: "russo", zh: "cinese",
    bn: "bengalese", tl: "tagalog", si: "singalese", ur: "urdu", fa: "dari/persiano", ps: "pashto", so: "somalo",
    ti: "tigrino", sq: "albanese", ro: "rumeno",
  };
  var STATE_NAMES = { bot: "con il bot", waiting_for_operator: "in attesa di un operatore", with_operator: "con un operatore", closed: "chiusa" };
  var FROM_NAMES = { user: "Persona", bot: "Bot", operator: "Operatore", system: "Sistema" };
  var CSRF_KEY = "orienta.op.csrf";
  var BASE_TITLE = document.title;

  var $ = function (id) { return document.getElementById(id); };
  var s = {
    csrf: sessionStorage.getItem(CSRF_KEY) || "",
    me: null,
    queue: [],
    queueLoaded: false,
    knownUrgent: {},
    conv: null, // the open conversation view
    seen: {},
    operators: [],
    ws: null,
    wsRetry: 0,
    wsTimer: 0,
    audio: null,
  };

  var el = window.OrientaDom.el, clear = window.OrientaDom.clear;
  function time(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? "" : d.toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit" });
  }
  function waited(iso) {
    if (!iso) return "";
    var min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return min < 1 ? "da meno di un minuto" : min < 60 ? "da " + min + " min" : "da " + Math.floor(min / 60) + " h " + (min % 60) + " min";
  }
  function langName(l) {
    return LANG_NAMES[l] || l;
  }

  /* ---------- API ---------- */
  function api(method, path, body) {
    var headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = s.csrf;
    return fetch("/api/operator" + path, {
      method: method, headers: headers, credentials: "same-origin", cache: "no-store",
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var e = new Error((j.error && j.error.message) || r.statusText);
          e.status = r.status;
          e.code = j.error && j.error.code;
          throw e;
        }
        return j;
      });
    });
  }
  function failed(e) {
    if (e && e.status === 401) return showLogin();
    if (e && e.code === "csrf") return showLogin("Sessione scaduta: accedi di nuovo.");
    flash("Errore: " + (e && e.message ? e.message : "operazione non riuscita"), true);
  }
  var flashTimer = 0;
  function flash(text, bad) {
    var a = $("alert");
    a.textContent = text;
    a.className = "alert" + (bad ? " bad" : "");
    a.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { a.hidden = true; }, 8000);
  }

  /* ---------- sound and title for urgent items ---------- */
  function unlockAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      if (!s.audio) s.audio = new Ctx();
      if (s.audio.state === "suspended") s.audio.resume();
    } catch (e) { /* no audio */ }
  }
  function beep() {
    var ctx = s.audio;
    if (!ctx) return;
    try {
      [0, 0.3].forEach(function (at) {
        var o = ctx.createOscillator();
        var g = ctx.createGain();
        o.type = "sine";
        o.frequency.value = 880;
        g.gain.setValueAtTime(0.0001, ctx.currentTime + at);
        g.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + at + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + at + 0.22);
        o.connect(g);
        g.connect(ctx.destination);
        o.start(ctx.currentTime + at);
        o.stop(ctx.currentTime + at + 0.25);
      });
    } catch (e) { /* no audio */ }
  }
  function updateTitle() {
    var urgent = s.queue.filter(function (q) { return q.urgent; }).length;
    var n = s.queue.length;
    document.title = (urgent ? "⚠ " + urgent + " URGENTI · " : "") + (n ? "(" + n + ") " : "") + BASE_TITLE;
  }

  /* ---------- login ---------- */
  function showLogin(message) {
    closeLive();
    s.me = null;
    $("app-view").hidden = true;
    $("who").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = message || "";
    document.title = BASE_TITLE;
    $("username").focus();
  }
  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    unlockAudio();
    var u = $("username").value.trim();
    var p = $("password").value;
    if (!u || !p) {
      $("login-error").textContent = "Scrivi nome utente e password.";
      return;
    }
    api("POST", "/login", { username: u, password: p })
      .then(function (r) {
        s.csrf = r.csrfToken;
        sessionStorage.setItem(CSRF_KEY, s.csrf);
        $("password").value = "";
        showApp(r.operator);
      })
      .catch(function (e) {
        $("login-error").textContent = e.status === 401 ? "Nome utente o password errati." : e.status === 429 ? "Troppi tentativi: aspetta qualche minuto." : "Accesso non riuscito: " + e.message;
      });
  });
  $("logout").addEventListener("click", function () {
    api("POST", "/logout", {}).catch(function () { /* logged out anyway */ }).then(function () {
      sessionStorage.removeItem(CSRF_KEY);
      s.csrf = "";
      s.conv = null;
      showLogin("Sei uscito.");
    });
  });
  document.addEventListener("click", unlockAudio);

  function showApp(op) {
    s.me = op;
    $("login-view").hidden = true;
    $("app-view").hidden = false;
    $("who").hidden = false;
    $("me").textContent = op.username + (op.languages && op.languages.length ? " · " + op.languages.join(", ") : "");
    loadQueue();
    loadOperators();
    connectLive();
    if (s.conv) openConversation(s.conv.conversation.id);
  }

  /* ---------- queue ---------- */
  function loadQueue() {
    return api("GET", "/queue")
      .then(function (r) {
        var fresh = [];
        r.items.forEach(function (it) {
          if (it.urgent && !s.knownUrgent[it.conversationId]) {
            s.knownUrgent[it.conversationId] = true;
            if (s.queueLoaded) fresh.push(it);
          }
        });
        s.queue = r.items;
        s.queueLoaded = true;
        renderQueue();
        if (fresh.length) {
          beep();
          flash("Nuova conversazione URGENTE in coda (" + fresh.map(function (f) { return langName(f.lang); }).join(", ") + ").", true);
        }
      })
      .catch(failed);
  }
  var queueTimer = 0;
  function loadQueueSoon() {
    clearTimeout(queueTimer);
    queueTimer = setTimeout(loadQueue, 150);
  }
  function renderQueue() {
    var list = $("queue");
    clear(list);
    $("queue-count").textContent = String(s.queue.length);
    $("queue-empty").hidden = s.queue.length > 0;
    s.queue.forEach(function (it) {
      var li = el("li", "qi" + (it.urgent ? " urgent" : "") + (s.conv && s.conv.conversation.id === it.conversationId ? " current" : ""));
      var b = el("button", "qi-btn");
      b.type = "button";
      b.setAttribute("data-id", it.conversationId);
      var line1 = el("span", "qi-line");
      if (it.urgent) line1.appendChild(el("span", "badge badge-urgent", "URGENTE"));
      var lang = el("span", "badge badge-lang", langName(it.lang) + (it.speaksLanguage ? " ✓" : ""));
      lang.title = it.speaksLanguage ? "Parli questa lingua" : "Lingua della persona";
      line1.appendChild(lang);
      line1.appendChild(el("span", "qi-channel", it.channel));
      b.appendChild(line1);
      b.appendChild(el("span", "qi-topic", (it.topic || "argomento non chiaro") + (it.municipality ? " · " + it.municipality : "")));
      b.appendChild(el("span", "qi-wait", "In attesa " + waited(it.waitingSince)));
      b.addEventListener("click", function () { openConversation(it.conversationId); });
      li.appendChild(b);
      list.appendChild(li);
    });
    updateTitle();
  }
  setInterval(function () {
    if (s.me) renderQueue();
  }, 30000);
  setInterval(function () {
    if (s.me) loadQueue();
  }, 60000);
  window.addEventListener("focus", function () {
    if (s.me) loadQueue();
  });

  function loadOperators() {
    api("GET", "/operators")
      .then(function (r) {
        s.operators = r.operators;
        var sel = $("transfer-to");
        clear(sel);
        r.operators.forEach(function (o) {
          if (s.me && o.id === s.me.id) return;
          var opt = el("option", null, o.username + (o.languages && o.languages.length ? " (" + o.languages.join(", ") + ")" : ""));
          opt.value = o.id;
          sel.appendChild(opt);
        });
        updateActions();
      })
      .catch(failed);
  }

  /* ---------- conversation ---------- */
  function openConversation(id) {
    return api("GET", "/conversations/" + encodeURIComponent(id))
      .then(function (v) {
        var changed = !s.conv || s.conv.conversation.id !== id;
        s.conv = v;
        if (changed) s.seen = {};
        renderConversation(changed);
        renderQueue();
      })
      .catch(failed);
  }
  function mine() {
    return !!(s.conv && s.me && s.conv.conversation.state === "with_operator" && s.conv.conversation.operatorId === s.me.id);
  }
  function updateActions() {
    if (!s.conv) return;
    var c = s.conv.conversation;
    var held = mine();
    $("claim").disabled = held;
    $("release").disabled = !held;
    $("close").disabled = !(held || c.state === "waiting_for_operator");
    $("transfer").disabled = !held || !$("transfer-to").options.length;
    $("reply").disabled = !held;
    $("reply-send").disabled = !held;
    $("reply-hint").textContent = held ? "" : "Prendi in carico la conversazione per scrivere alla persona.";
    document.querySelectorAll(".send-service").forEach(function (b) { b.disabled = !held; });
  }
  function renderMeta() {
    var c = s.conv.conversation;
    $("conv-title").textContent = "Conversazione " + c.id.slice(0, 8);
    var meta = $("conv-meta");
    clear(meta);
    if (c.urgent) meta.appendChild(el("span", "badge badge-urgent", "URGENTE"));
    meta.appendChild(el("span", "badge badge-lang", langName(c.lang)));
    var holder = c.operatorId ? s.operators.filter(function (o) { return o.id === c.operatorId; })[0] : null;
    var st = STATE_NAMES[c.state] || c.state;
    if (c.state === "with_operator") st += holder ? " (" + holder.username + ")" : s.me && c.operatorId === s.me.id ? " (tu)" : "";
    meta.appendChild(el("span", "badge badge-state state-" + c.state, st));
    meta.appendChild(el("span", "meta-text", c.channel + (c.waitingSince ? " · in attesa " + waited(c.waitingSince) : "") + (c.outcome ? " · esito: " + c.outcome : "")));
  }
  function renderConversation(fresh) {
    var v = s.conv;
    $("conv-none").hidden = true;
    $("conv-body").hidden = false;
    $("side").hidden = false;
    renderMeta();
    var tr = $("transcript");
    if (fresh) clear(tr);
    v.transcript.forEach(addMessage);
    // profile
    var dl = $("profile");
    clear(dl);
    var keys = Object.keys(v.profile || {});
    if (!keys.length) dl.appendChild(el("dd", "empty", "Nessun dato dichiarato."));
    keys.forEach(function (k) {
      var val = v.profile[k];
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, typeof val === "object" ? JSON.stringify(val) : String(val)));
    });
    // services
    renderServices($("services"), v.services, "Nessun servizio proposto finora.");
    // notes
    var notes = $("notes");
    clear(notes);
    v.notes.forEach(addNote);
    updateActions();
    tr.scrollTop = tr.scrollHeight;
  }
  function renderServices(list, services, emptyText) {
    clear(list);
    if (!services.length && emptyText) list.appendChild(el("li", "empty", emptyText));
    services.forEach(function (sv) {
      var li = el("li", "service");
      li.appendChild(el("span", "service-name", sv.name));
      var b = el("button", "btn btn-small send-service", "Invia scheda");
      b.type = "button";
      b.setAttribute("aria-label", "Invia scheda: " + sv.name);
      b.disabled = !mine();
      b.addEventListener("click", function () { sendService(sv.id); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  function addMessage(m) {
    if (m.id !== undefined && s.seen[m.id]) return;
    if (m.id !== undefined) s.seen[m.id] = true;
    var tr = $("transcript");
    var li = el("div", "tm tm-" + m.from + (m.kind === "service" ? " tm-service" : ""));
    var head = el("span", "tm-head");
    head.appendChild(el("span", "tm-from", FROM_NAMES[m.from] || m.from));
    head.appendChild(el("span", "tm-time", time(m.createdAt)));
    li.appendChild(head);
    var text = m.text;
    if (m.from === "user" && m.kind === "location") text = "📍 posizione condivisa";
    else if (m.from === "user" && !text) text = "(" + (m.kind || "messaggio") + ")";
    var p = el("p", "tm-text", text);
    var lang = s.conv ? s.conv.conversation.lang : "it";
    p.setAttribute("lang", lang);
    p.setAttribute("dir", m.from === "user" ? "auto" : RTL[lang] ? "rtl" : "ltr");
    li.appendChild(p);
    if (m.original) {
      // an operator reply translated by the optional LLM: the person got the text above, this is what was written
      var o = el("p", "tm-original", "↳ " + m.original);
      o.setAttribute("dir", "auto");
      li.appendChild(o);
    }
    // keep id order even if the live feed and the HTTP answer cross
    if (m.id !== undefined) li.setAttribute("data-id", String(m.id));
    var after = null;
    if (m.id !== undefined) {
      var kids = tr.querySelectorAll(".tm[data-id]");
      for (var i = 0; i < kids.length; i++) if (Number(kids[i].getAttribute("data-id")) > m.id) { after = kids[i]; break; }
    }
    tr.insertBefore(li, after);
    tr.scrollTop = tr.scrollHeight;
  }
  function addNote(n) {
    var li = el("li", "note");
    var who = s.operators.filter(function (o) { return o.id === n.operatorId; })[0];
    li.appendChild(el("span", "tm-head", (who ? who.username : "operatore") + " · " + time(n.createdAt)));
    li.appendChild(el("p", "tm-text", n.text));
    $("notes").appendChild(li);
  }

  function act(path, body, okText) {
    if (!s.conv) return Promise.resolve();
    var id = s.conv.conversation.id;
    return api("POST", "/conversations/" + encodeURIComponent(id) + path, body === undefined ? {} : body)
      .then(function (r) {
        if (okText) flash(okText);
        return openConversation(id).then(function () {
          loadQueueSoon();
          return r;
        });
      })
      .catch(failed);
  }
  $("claim").addEventListener("click", function () { act("/claim", {}, "Conversazione presa in carico.").then(function () { $("reply").focus(); }); });
  $("release").addEventListener("click", function () { act("/release", {}, "Conversazione restituita al bot."); });
  $("close").addEventListener("click", function () { act("/close", { outcome: $("outcome").value }, "Conversazione chiusa."); });
  $("transfer").addEventListener("click", function () {
    var to = $("transfer-to").value;
    if (to) act("/transfer", { operatorId: to }, "Conversazione trasferita.");
  });
  function sendService(id) {
    act("/services", { serviceId: id }, "Scheda del servizio inviata.");
  }
  $("reply-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("reply").value.trim();
    if (!text || !s.conv) return;
    var id = s.conv.conversation.id;
    api("POST", "/conversations/" + encodeURIComponent(id) + "/messages", { text: text })
      .then(function (r) {
        $("reply").value = "";
        if (s.conv && s.conv.conversation.id === id) addMessage(r.message);
      })
      .catch(failed);
  });
  $("reply").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      $("reply-form").requestSubmit();
    }
  });
  $("note-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("note").value.trim();
    if (!text || !s.conv) return;
    var id = s.conv.conversation.id;
    api("POST", "/conversations/" + encodeURIComponent(id) + "/notes", { text: text })
      .then(function (r) {
        $("note").value = "";
        if (s.conv && s.conv.conversation.id === id) addNote(r.note);
      })
      .catch(failed);
  });
  $("service-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = $("service-q").value.trim();
    if (!q) return;
    api("GET", "/services?q=" + encodeURIComponent(q))
      .then(function (r) { renderServices($("service-results"), r.services.slice(0, 8), "Nessun servizio trovato."); })
      .catch(failed);
  });

  /* ---------- live feed ---------- */
  function closeLive() {
    clearTimeout(s.wsTimer);
    if (s.ws) {
      s.ws.onclose = null;
      try { s.ws.close(); } catch (e) { /* closed */ }
    }
    s.ws = null;
  }
  function connectLive() {
    if (s.ws || !s.me) return;
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/operator");
    s.ws = ws;
    ws.onopen = function () {
      $("live-status").textContent = "Aggiornamenti in tempo reale attivi.";
      if (s.wsRetry > 0) {
        // Catch up on what happened while we were disconnected.
        loadQueue();
        if (s.conv) openConversation(s.conv.conversation.id);
      }
      s.wsRetry = 0;
    };
    ws.onmessage = function (ev) {
      var d;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (d.type === "message") {
        if (s.conv && d.conversationId === s.conv.conversation.id) addMessage(d.message);
        if (d.message && d.message.from === "user") loadQueueSoon();
      } else if (d.type === "state") {
        loadQueueSoon();
        if (s.conv && d.conversationId === s.conv.conversation.id) {
          var c = s.conv.conversation;
          c.state = d.state;
          c.urgent = d.urgent;
          c.lang = d.lang;
          c.operatorId = d.operatorId;
          renderMeta();
          updateActions();
        }
      }
    };
    ws.onclose = function () {
      s.ws = null;
      if (!s.me) return;
      $("live-status").textContent = "Connessione persa: riprovo…";
      s.wsRetry++;
      var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(s.wsRetry - 1, 5)));
      s.wsTimer = setTimeout(function () {
        // 401 on upgrade shows up as a plain close: check the session before retrying forever.
        api("GET", "/me").then(connectLive).catch(failed);
      }, delay);
    };
  }

  /* ---------- start ---------- */
  if (!s.csrf) showLogin();
  else
    api("GET", "/me")
      .then(function (r) { showApp(r.operator); })
      .catch(function () { showLogin(); });
})();
