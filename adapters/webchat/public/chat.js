// Minimal chat page over the web chat API. Every message is rendered as text (textContent), never as HTML.
(function () {
  "use strict";
  var RTL = { ar: 1, ur: 1, fa: 1, ps: 1 };
  var log = document.getElementById("log");
  var quick = document.getElementById("quick");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var session = JSON.parse(localStorage.getItem("orienta.session") || "null");

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (session) headers.Authorization = "Bearer " + session.token;
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error((j.error && j.error.message) || r.statusText); return j; });
    });
  }

  function show(m) {
    var div = document.createElement("div");
    div.className = "msg " + m.from;
    div.textContent = m.text;
    if (m.lang) { div.lang = m.lang; div.dir = RTL[m.lang] ? "rtl" : "ltr"; }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function buttons(list) {
    quick.textContent = "";
    (list || []).forEach(function (q) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = q.label;
      b.addEventListener("click", function () { send({ kind: "choice", value: q.value }, q.label); });
      quick.appendChild(b);
    });
  }

  function ensureSession() {
    if (session) return Promise.resolve(session);
    return api("POST", "/api/webchat/sessions", {}).then(function (s) {
      session = s;
      localStorage.setItem("orienta.session", JSON.stringify(s));
      return s;
    });
  }

  function send(body, echo) {
    show({ from: "user", text: echo });
    buttons([]);
    return ensureSession()
      .then(function (s) { return api("POST", "/api/webchat/sessions/" + s.sessionId + "/messages", body); })
      .then(function (r) {
        r.messages.forEach(show);
        var last = r.messages[r.messages.length - 1];
        buttons(last && last.quickReplies);
        if (r.deleted) { localStorage.removeItem("orienta.session"); session = null; log.textContent = ""; r.messages.forEach(show); }
      })
      .catch(function (e) { show({ from: "system", text: "⚠ " + e.message }); });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  document.getElementById("human").addEventListener("click", function () { send({ kind: "command", command: "human" }, "👤"); });
  document.getElementById("delete").addEventListener("click", function () { send({ kind: "command", command: "delete" }, "🗑"); });

  if (session) {
    api("GET", "/api/webchat/sessions/" + session.sessionId + "/messages").then(function (r) {
      r.messages.forEach(function (m) { if (m.from !== "user" || m.text) show(m); });
    }).catch(function () { localStorage.removeItem("orienta.session"); session = null; });
  }
})();
