// The handoff pages: the queue refreshes itself; a conversation streams its transcript
// (server-sent events), claims, writes, hands back and proposes fixes through the JSON API.
// Only textContent is ever set from data: a citizen's words are never read as markup.
"use strict";

(function () {
  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  // -- the queue
  const queue = document.getElementById("queue");
  if (queue) {
    const body = queue.querySelector("tbody");
    const refresh = async () => {
      const response = await fetch("/api/handoffs", { credentials: "same-origin" });
      if (!response.ok) return;
      const items = await response.json();
      body.replaceChildren();
      if (!items.length) {
        const row = el("tr", "empty");
        const cell = el("td", "", queue.dataset.empty);
        cell.colSpan = 5;
        row.append(cell);
        body.append(row);
      }
      for (const h of items) {
        const row = el("tr");
        row.dataset.id = h.id;
        const summary = el("td", "summary");
        for (const line of (h.summary || "").split("\n")) summary.append(el("span", "", line));
        const state = queue.dataset[h.status] + (h.claimed_by ? ` (${h.claimed_by})` : "");
        const link = el("a", "", queue.dataset.open);
        link.href = `/handoffs/${h.id}`;
        const cells = [el("td", "wait", clock(h.waiting_s)), el("td", "", `${h.channel} · ${h.language}`),
          summary, el("td", "", state), el("td")];
        cells[4].append(link);
        row.append(...cells);
        body.append(row);
      }
    };
    setInterval(refresh, 2000);
  }

  // -- one conversation
  const root = document.getElementById("handoff");
  if (!root) return;
  const id = root.dataset.id;
  const t = root.dataset;
  const api = `/api/handoffs/${id}`;
  const list = document.getElementById("transcript");
  const notice = document.getElementById("notice");
  const message = document.getElementById("message");
  const send = document.getElementById("send");
  const claim = document.getElementById("claim");
  const release = document.getElementById("release");
  const wrongForm = document.getElementById("wrong-form");
  let unmasked = false;
  let wrongIndex = null;
  let source = null;

  const say = (text) => { notice.textContent = text; };

  const addWrongButton = (item) => {
    if (!item.dataset.service || item.querySelector("button.wrong-mark")) return;
    const button = el("button", "wrong-mark link", t.tWrong);
    button.type = "button";
    button.addEventListener("click", () => {
      wrongIndex = Number(item.dataset.index);
      item.after(wrongForm);
      wrongForm.hidden = false;
    });
    item.append(button);
  };

  const lineItem = (line) => {
    const item = el("li", `line from-${line.from}`);
    item.dataset.index = line.index;
    if (line.service) item.dataset.service = line.service;
    const who = { citizen: t.tCitizen, bot: t.tBot, agent: t.tAgent }[line.from];
    item.append(el("span", "who", who + (line.agent ? ` (${line.agent})` : "")));
    const time = el("time", "", line.at.slice(11, 16));
    time.dateTime = line.at;
    item.append(time, el("span", "text", line.text));
    addWrongButton(item);
    return item;
  };

  const showStatus = (h) => {
    root.dataset.status = h.status;
    const mine = h.status === "claimed" && h.claimed_by === t.me;
    const label = { waiting: t.stWaiting, claimed: t.stClaimed, closed: t.stClosed }[h.status];
    document.getElementById("status").textContent = label + (h.claimed_by ? ` (${h.claimed_by})` : "");
    claim.hidden = h.status !== "waiting";
    release.hidden = !mine;
    message.disabled = !mine;
    send.disabled = !mine;
  };

  const suggestions = async () => {
    const box = document.getElementById("suggestions");
    const response = await fetch(`${api}/suggestions`, { credentials: "same-origin" });
    if (!response.ok) return;
    const items = await response.json();
    box.replaceChildren();
    for (const s of items) {
      const card = el("article", "suggestion");
      card.append(el("h3", "", s.title));
      card.append(el("p", "reply-text", s.text));
      const sources = el("ul", "sources");
      for (const src of s.sources) {
        const item = el("li");
        if (src.url) {
          const link = el("a", "", src.title);
          link.href = src.url;
          link.rel = "noopener noreferrer";
          link.target = "_blank";
          item.append(link);
        } else item.textContent = src.title;
        sources.append(item);
      }
      const use = el("button", "use", t.tUse);
      use.type = "button";
      use.addEventListener("click", () => { message.value = s.text; message.focus(); });
      card.append(sources, use);
      box.append(card);
    }
  };

  const listen = () => {
    if (source) source.close();
    const after = list.lastElementChild ? list.lastElementChild.dataset.index : -1;
    source = new EventSource(`${api}/stream?after=${after}${unmasked ? "&unmask=true" : ""}`);
    source.addEventListener("line", (event) => {
      const line = JSON.parse(event.data);
      if (list.querySelector(`[data-index="${line.index}"]`)) return;
      list.append(lineItem(line));
      if (line.from === "citizen") suggestions();
    });
    source.addEventListener("status", (event) => showStatus(JSON.parse(event.data)));
  };

  claim.addEventListener("click", async () => {
    const response = await post(`${api}/claim`);
    const found = await response.json();
    if (response.ok) { showStatus(found); message.focus(); } else say(found.detail || t.tError);
  });

  release.addEventListener("click", async () => {
    const response = await post(`${api}/release`);
    const found = await response.json();
    if (response.ok) showStatus(found); else say(found.detail || t.tError);
  });

  document.getElementById("compose").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = message.value.trim();
    if (!text) return;
    send.disabled = true;
    const response = await post(`${api}/messages`, { text });
    const found = await response.json();
    send.disabled = false;
    if (response.ok) {
      message.value = "";
      say(found.delivered === "template" ? t.tTemplate : t.tSent);
    } else say(`${t.tError}: ${found.detail || response.status}`);
  });

  document.getElementById("unmask").addEventListener("click", async () => {
    if (!window.confirm(t.tConfirmUnmask)) return;
    const response = await fetch(`${api}?unmask=true`, { credentials: "same-origin" });
    if (!response.ok) return;
    const found = await response.json();
    unmasked = true;
    list.replaceChildren(...found.transcript.map(lineItem));
    listen();
  });

  wrongForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const service = document.getElementById("right-service").value;
    const response = await post(`${api}/wrong`, { index: wrongIndex, service });
    wrongForm.hidden = true;
    say(response.ok ? t.tNoted : t.tError);
  });

  list.querySelectorAll("li.line").forEach(addWrongButton);
  listen();
  suggestions();
})();
