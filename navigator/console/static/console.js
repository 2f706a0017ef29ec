// Navigator agent console: tick documents, refresh the reply, copy it, mark "not helpful".
// Plain JavaScript, no build step. Pages work without it except for live reply updates.
"use strict";

(function () {
  const body = document.body;

  function checkedIndices(card) {
    return Array.from(card.querySelectorAll(".checklist input:checked")).map((box) => Number(box.value));
  }

  async function refreshReply(card) {
    const langSelect = card.querySelector(".reply-lang");
    const payload = {
      service_id: card.dataset.service,
      lang: langSelect ? langSelect.value : body.dataset.ui,
      have: checkedIndices(card),
    };
    const response = await fetch("/api/reply", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    });
    if (!response.ok) {
      return;
    }
    const reply = await response.json();
    card.querySelector(".reply-text").value = reply.text;
    card.querySelector(".reply-count .n").textContent = String(reply.length);
    card.dataset.replyVersion = String(Number(card.dataset.replyVersion || "0") + 1);
  }

  async function copyReply(card) {
    const area = card.querySelector(".reply-text");
    const status = card.querySelector(".copy-status");
    try {
      await navigator.clipboard.writeText(area.value);
    } catch (err) {
      area.select();
      document.execCommand("copy");
    }
    status.textContent = body.dataset.copied;
    window.setTimeout(() => { status.textContent = ""; }, 4000);
  }

  async function sendFeedback(form) {
    const data = new FormData(form);
    const shown = String(data.get("shown") || "").split(",").filter(Boolean);
    const payload = { query: data.get("query"), shown: shown, service_id: data.get("service_id") || null };
    const lifeEvent = data.get("life_event");
    if (lifeEvent) {
      payload.life_event = lifeEvent;
    }
    const response = await fetch("/api/feedback", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    });
    if (!response.ok) {
      form.submit();
      return;
    }
    const note = document.createElement("p");
    note.className = "noted";
    note.setAttribute("role", "status");
    note.textContent = body.dataset.thanks;
    form.replaceChildren(note);
  }

  document.addEventListener("change", (event) => {
    const card = event.target.closest(".card");
    if (card && (event.target.matches(".checklist input") || event.target.matches(".reply-lang"))) {
      refreshReply(card);
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (button) {
      copyReply(button.closest(".card"));
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form.feedback")) {
      event.preventDefault();
      sendFeedback(form);
    }
  });

  // "/" focuses the search box from anywhere except a text field.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select");
    const box = document.getElementById("q");
    if (event.key === "/" && !typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // A journey link to a card on this page opens that card.
  function openFromHash() {
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && target.matches("details.card")) {
      target.open = true;
      target.querySelector("summary").focus();
    }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  const box = document.getElementById("q");
  if (box && box.value) {
    box.select();
  }
})();
