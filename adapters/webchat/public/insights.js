// Orienta needs report: period picker, charts (Chart.js, served by this server) and tables. All text via textContent.
(function () {
  "use strict";
  var LANG_NAMES = {
    it: "italiano", en: "inglese", fr: "francese", es: "spagnolo", ar: "arabo", uk: "ucraino", ru: "russo", zh: "cinese",
    bn: "bengalese", tl: "tagalog", si: "singalese", ur: "urdu", fa: "dari/persiano", ps: "pashto", so: "somalo",
    ti: "tigrino", sq: "albanese", ro: "rumeno",
  };
  var TOPIC_NAMES = {
    emergency: "emergenza", orientation: "orientamento", housing: "casa", homelessness: "senza dimora", food: "cibo",
    income: "reddito e sussidi", work: "lavoro", migrants: "migranti", legal: "assistenza legale",
    language_school: "corsi di italiano", education: "istruzione", health: "salute", mental_health: "salute mentale",
    addiction: "dipendenze", disability: "disabilità", elderly: "anziani", carers: "caregiver", family: "famiglia",
    children: "bambini", youth: "giovani", women: "donne", violence: "violenza", trafficking: "tratta",
    lgbtq: "LGBTQ+", discrimination: "discriminazione", justice: "giustizia", community: "comunità",
    loneliness: "solitudine", volunteering: "volontariato", digital: "digitale", material_aid: "aiuti materiali",
  };
  var CHANNEL_NAMES = { webchat: "web chat", telegram: "Telegram", slack: "Slack", cli: "riga di comando" };
  var NONE = "non indicato";
  var BLUE = "#0066cc", RED = "#a61919", GREEN = "#00664a";
  var PALETTE = ["#0066cc", "#00664a", "#b35900", "#6b4f00", "#5c2d91", "#a61919", "#17324d", "#008080", "#8a3b12", "#455b71"];

  var $ = function (id) { return document.getElementById(id); };
  var charts = [];

  var el = window.OrientaDom.el, clear = window.OrientaDom.clear;
  function iso(d) {
    var m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  function daysBefore(isoDay, n) {
    var p = isoDay.split("-");
    var d = new Date(Number(p[0]), Number(p[1]) - 1, Number(p[2]));
    d.setDate(d.getDate() - n);
    return iso(d);
  }
  function fmtInt(n) { return Number(n).toLocaleString("it-IT"); }
  function fmtPct(x) { return x === null || x === undefined ? "–" : (Math.round(x * 1000) / 10).toLocaleString("it-IT") + "%"; }
  function fmtDuration(s) {
    if (s === null || s === undefined) return "–";
    if (s < 60) return Math.round(s) + " s";
    if (s < 3600) return Math.round(s / 60) + " min";
    var h = Math.floor(s / 3600), m = Math.round((s % 3600) / 60);
    return h + " h " + (m ? m + " min" : "");
  }
  function fmtDay(d) {
    var p = d.split("-");
    return p[2] + "/" + p[1];
  }
  var labelOf = {
    topic: function (c) { return c.key ? TOPIC_NAMES[c.key] || c.key : NONE; },
    lang: function (c) { return c.key ? LANG_NAMES[c.key] || c.key : NONE; },
    municipality: function (c) { return c.label || c.key || NONE; },
    channel: function (c) { return c.key ? CHANNEL_NAMES[c.key] || c.key : NONE; },
    outcome: function (c) { return c.key || NONE; },
  };

  /* ---------- alerts and access ---------- */

  function showAlert(text) {
    var a = $("alert");
    a.textContent = text;
    a.hidden = !text;
  }
  function denied(status) {
    $("report").hidden = true;
    $("denied").hidden = false;
    $("denied-text").textContent = status === 403
      ? "Il rapporto dei bisogni è riservato agli amministratori. Il suo account è di operatore: chieda a un amministratore."
      : "Per vedere il rapporto dei bisogni acceda prima alla console operatori con un account amministratore, poi torni su questa pagina.";
    $("status").textContent = "";
  }

  /* ---------- charts ---------- */

  function destroyCharts() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
  }
  function chart(canvas, config) {
    if (!window.Chart) return;
    config.options = Object.assign({
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false } },
    }, config.options || {});
    charts.push(new window.Chart(canvas, config));
  }
  function barChart(canvas, labels, values, horizontal, color) {
    chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: "Domande", data: values, backgroundColor: color || BLUE }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  /* ---------- tables ---------- */

  function fillTable(table, rows) {
    var body = table.tBodies[0];
    clear(body);
    rows.forEach(function (cells) {
      var tr = el("tr");
      cells.forEach(function (c) {
        var td = el("td", typeof c === "number" ? "num" : "", typeof c === "number" ? fmtInt(c) : c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!rows.length) {
      var tr = el("tr");
      var td = el("td", "empty", "Nessun dato nel periodo.");
      td.colSpan = table.tHead.rows[0].cells.length;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }
  function tiles(dl, items) {
    clear(dl);
    items.forEach(function (it) {
      var box = el("div", "tile" + (it.tone ? " tile-" + it.tone : ""));
      box.appendChild(el("dt", "", it.label));
      box.appendChild(el("dd", "", it.value));
      if (it.hint) box.appendChild(el("dd", "tile-hint", it.hint));
      dl.appendChild(box);
    });
  }

  /** One breakdown card: a chart and its table (the table is also the chart's text alternative). */
  function breakdown(parent, id, title, counts, labeller, kind) {
    var total = counts.reduce(function (s, c) { return s + c.count; }, 0);
    var sec = el("section", "ins-card");
    sec.setAttribute("aria-labelledby", id + "-title");
    var h = el("h2", "h", title);
    h.id = id + "-title";
    sec.appendChild(h);
    var split = el("div", "ins-split");
    var box = el("div", "chart-box");
    var canvas = el("canvas");
    canvas.id = "chart-" + id;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Grafico: " + title.toLowerCase() + " (i dati sono nella tabella)");
    box.appendChild(canvas);
    split.appendChild(box);
    var table = el("table", "ins-table");
    table.id = "table-" + id;
    var cap = el("caption", "sr-only", title);
    table.appendChild(cap);
    var thead = el("thead");
    var hr = el("tr");
    [["Valore", ""], ["Domande", "num"], ["Quota", "num"]].forEach(function (c) {
      var th = el("th", c[1], c[0]);
      th.scope = "col";
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    table.appendChild(el("tbody"));
    split.appendChild(table);
    sec.appendChild(split);
    parent.appendChild(sec);

    fillTable(table, counts.map(function (c) { return [labeller(c), c.count, fmtPct(total ? c.count / total : null)]; }));
    var top = counts.slice(0, 12);
    var labels = top.map(labeller);
    var values = top.map(function (c) { return c.count; });
    if (kind === "doughnut") {
      chart(canvas, {
        type: "doughnut",
        data: { labels: labels, datasets: [{ data: values, backgroundColor: PALETTE.slice(0, values.length) }] },
        options: { plugins: { legend: { display: true, position: "right" } } },
      });
    } else barChart(canvas, labels, values, kind === "horizontal");
  }

  /* ---------- the report ---------- */

  function render(r) {
    destroyCharts();
    var t = r.turns;
    tiles($("summary"), [
      { label: "Domande", value: fmtInt(t.total) },
      { label: "Con un servizio adatto", value: fmtPct(t.answeredShare), hint: fmtInt(t.answered) + " domande", tone: "good" },
      { label: "Urgenti", value: fmtPct(t.urgentShare), hint: fmtInt(t.urgent) + " domande", tone: "bad" },
      { label: "Passate a un operatore", value: fmtPct(t.handoffRate), hint: fmtInt(t.handoff) + " domande" },
      { label: "Senza risposta", value: fmtInt(r.unanswered.total), hint: fmtInt(r.unanswered.groups.length) + " gruppi" },
      { label: "Attesa di un operatore (mediana)", value: fmtDuration(r.handoffs.waitMedianSeconds), hint: "90° percentile: " + fmtDuration(r.handoffs.waitP90Seconds) },
    ]);

    chart($("chart-day"), {
      type: "line",
      data: {
        labels: r.byDay.map(function (c) { return fmtDay(c.key); }),
        datasets: [{ label: "Domande", data: r.byDay.map(function (c) { return c.count; }), borderColor: BLUE, backgroundColor: "rgba(0,102,204,0.12)", fill: true, tension: 0.2, pointRadius: 3 }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

    var grid = $("breakdowns");
    clear(grid);
    breakdown(grid, "topic", "Domande per tema", r.byTopic, labelOf.topic, "horizontal");
    breakdown(grid, "lang", "Domande per lingua", r.byLanguage, labelOf.lang, "vertical");
    breakdown(grid, "municipality", "Domande per comune", r.byMunicipality, labelOf.municipality, "horizontal");
    breakdown(grid, "channel", "Domande per canale", r.byChannel, labelOf.channel, "doughnut");

    $("unanswered-note").textContent = r.unanswered.total
      ? fmtInt(r.unanswered.total) + " domande senza un servizio adatto" +
        (r.unanswered.grouped < r.unanswered.total ? " (raggruppate le " + fmtInt(r.unanswered.grouped) + " più recenti)" : "") +
        ": sono un elenco di lavoro per la base di conoscenza. Le domande sono conservate già oscurate."
      : "Nessuna domanda senza risposta nel periodo.";
    var ub = $("unanswered").tBodies[0];
    clear(ub);
    r.unanswered.groups.forEach(function (g) {
      var tr = el("tr");
      tr.appendChild(el("td", "num", fmtInt(g.count)));
      tr.appendChild(el("td", "", g.languages.map(function (l) { return LANG_NAMES[l] || l; }).join(", ")));
      tr.appendChild(el("td", "", g.keywords.join(", ") || "–"));
      var ex = el("td");
      var ul = el("ul", "examples");
      g.examples.forEach(function (x) {
        var li = el("li", "", x);
        li.dir = "auto";
        ul.appendChild(li);
      });
      ex.appendChild(ul);
      tr.appendChild(ex);
      ub.appendChild(tr);
    });
    if (!r.unanswered.groups.length) fillTable($("unanswered"), []);

    var h = r.handoffs;
    tiles($("handoff-summary"), [
      { label: "Passaggi chiusi", value: fmtInt(h.total), hint: fmtInt(h.urgent) + " urgenti" },
      { label: "Attesa mediana", value: fmtDuration(h.waitMedianSeconds), hint: "su " + fmtInt(h.withWait) + " con attesa nota" },
      { label: "Attesa al 90° percentile", value: fmtDuration(h.waitP90Seconds) },
    ]);
    fillTable($("outcomes"), h.outcomes.map(function (c) { return [labelOf.outcome(c), c.count]; }));
    barChart($("chart-outcomes"), h.outcomes.map(labelOf.outcome), h.outcomes.map(function (c) { return c.count; }), true, GREEN);

    fillTable($("feedback"), r.feedback.map(function (f) {
      return [f.name, f.up, f.down, fmtPct(f.up + f.down ? f.up / (f.up + f.down) : null)];
    }));
    var fb = r.feedback.slice(0, 15);
    chart($("chart-feedback"), {
      type: "bar",
      data: {
        labels: fb.map(function (f) { return f.name.length > 40 ? f.name.slice(0, 39) + "…" : f.name; }),
        datasets: [
          { label: "Utile", data: fb.map(function (f) { return f.up; }), backgroundColor: GREEN },
          { label: "Non utile", data: fb.map(function (f) { return f.down; }), backgroundColor: RED },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: true, position: "top" } },
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    });

    $("denied").hidden = true;
    $("report").hidden = false;
  }

  /* ---------- loading ---------- */

  function query() {
    return "from=" + encodeURIComponent($("from").value) + "&to=" + encodeURIComponent($("to").value);
  }

  function load() {
    var q = query();
    $("csv").href = "/api/admin/insights.csv?" + q;
    $("status").textContent = "Caricamento…";
    showAlert("");
    if (window.history && history.replaceState) history.replaceState(null, "", "/admin/insights?" + q);
    return fetch("/api/admin/insights?" + q, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) return denied(res.status);
        return res.json().then(function (body) {
          if (!res.ok) {
            $("status").textContent = "";
            showAlert((body && body.error && body.error.message) || "Errore " + res.status);
            return;
          }
          render(body);
          $("status").textContent = "Periodo dal " + body.period.from.split("-").reverse().join("/") + " al " + body.period.to.split("-").reverse().join("/") + ".";
        });
      })
      .catch(function () {
        $("status").textContent = "";
        showAlert("Impossibile caricare il rapporto: controlli la connessione e riprovi.");
      });
  }

  function init() {
    var params = new URLSearchParams(location.search);
    var today = iso(new Date());
    var re = /^\d{4}-\d{2}-\d{2}$/;
    var to = re.test(params.get("to") || "") ? params.get("to") : today;
    var from = re.test(params.get("from") || "") ? params.get("from") : daysBefore(to, 29);
    $("from").value = from;
    $("to").value = to;
    $("period").addEventListener("submit", function (e) {
      e.preventDefault();
      if (!$("from").value || !$("to").value) return showAlert("Indichi le date di inizio e di fine.");
      if ($("from").value > $("to").value) return showAlert("La data di inizio viene dopo quella di fine.");
      load();
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-days]"), function (b) {
      b.addEventListener("click", function () {
        var t = iso(new Date());
        $("to").value = t;
        $("from").value = daysBefore(t, Number(b.getAttribute("data-days")) - 1);
        load();
      });
    });
    if (!window.Chart) showAlert("La libreria dei grafici non è stata caricata: sono visibili solo le tabelle.");
    else {
      // The console's type and ink, so that charts read like the rest of the page.
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.font.size = 13;
      window.Chart.defaults.color = "#17324d";
    }
    load();
  }

  init();
})();
