// Quiz autosave, offline queue and timer. Progressive enhancement: the form works without it.
//
// Each change is saved (debounced) with PUT /api/v1/attempts/<id>/answers/<question>/ and a
// per-answer revision (milliseconds, always increasing), so a late, stale save never
// overwrites a newer one. Until the server acknowledges a save, the answer waits in
// localStorage (keyed by attempt) and is re-sent when the browser is back online or the page
// is opened again; several waiting answers go together, in one POST to
// /api/v1/attempts/<id>/answers/ (each with its revision and its own result).
(() => {
  "use strict";

  const storeKey = (id) => `reelearn-quiz-${id}`;
  const result = document.getElementById("quiz-result");
  if (result) {
    // The attempt is closed: nothing is left to send.
    try { localStorage.removeItem(storeKey(result.dataset.attempt)); } catch (e) { /* private mode */ }
  }
  const review = document.getElementById("quiz-review");
  if (review) {
    // Answers this device has not managed to save yet are not in the server's list: say so.
    let waiting = {};
    try { waiting = JSON.parse(localStorage.getItem(storeKey(review.dataset.attempt))) || {}; } catch (e) { /* private mode */ }
    const note = review.querySelector("[data-unsent-note]");
    // Answers that went with the form post are on the server unless that post failed.
    if (note && Object.values(waiting).some((item) => !item.posted)) note.hidden = false;
  }
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  const form = document.getElementById("quiz-form");
  if (!form || !window.fetch) return;
  form.querySelectorAll("[data-no-js-only]").forEach((el) => { el.hidden = true; });

  const KEY = storeKey(form.dataset.attempt);
  const api = form.dataset.api;
  const msg = form.dataset;
  const statusEl = document.getElementById("save-status");
  const csrf = (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const fieldsets = {};
  form.querySelectorAll("fieldset[data-question]").forEach((fs) => { fieldsets[fs.dataset.question] = fs; });

  let closed = false;
  let retryTimer = null;
  let retryDelay = 2000;
  const debounce = {};
  const inFlight = {};

  const load = () => { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } };
  const store = () => { try { localStorage.setItem(KEY, JSON.stringify(pending)); } catch (e) { /* full or private */ } };
  let pending = load();

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.dataset.state = state;
  }

  function clock() {
    return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // --- Reading and writing a question's inputs (the API's client shapes) ---------------------
  function read(fs) {
    const kind = fs.dataset.kind;
    const inputs = [...fs.querySelectorAll("input, select, textarea")].filter((el) => el.name && el.name !== "shown");
    if (kind === "single") {
      const el = inputs.find((i) => i.checked);
      return { choice: el ? el.value : null };
    }
    if (kind === "true_false") {
      const el = inputs.find((i) => i.checked);
      return { value: el ? el.value === "true" : null };
    }
    if (kind === "multiple") return { choices: inputs.filter((i) => i.checked).map((i) => i.value) };
    if (kind === "numeric") return { value: inputs[0].value };
    if (kind === "short_text" || kind === "open") return { text: inputs[0].value };
    if (kind === "ordering") {
      // The places as chosen; the server checks they are 1..n, each once (no tie-breaking).
      const places = {};
      inputs.forEach((s) => { places[s.dataset.token] = s.value || null; });
      return { places };
    }
    if (kind === "matching") {
      const pairs = {};
      inputs.forEach((s) => { pairs[s.dataset.token] = s.value || null; });
      return { pairs };
    }
    return null;
  }

  function write(fs, response) {
    const kind = fs.dataset.kind;
    const inputs = [...fs.querySelectorAll("input, select, textarea")].filter((el) => el.name && el.name !== "shown");
    response = response || {};
    if (kind === "single") inputs.forEach((i) => { i.checked = i.value === response.choice; });
    else if (kind === "true_false") inputs.forEach((i) => { i.checked = response.value !== null && response.value !== undefined && i.value === String(response.value); });
    else if (kind === "multiple") inputs.forEach((i) => { i.checked = (response.choices || []).includes(i.value); });
    else if (kind === "numeric") inputs[0].value = response.value || "";
    else if (kind === "short_text" || kind === "open") inputs[0].value = response.text || "";
    else if (kind === "ordering") {
      const order = response.order || [];
      const places = response.places || {};
      inputs.forEach((s) => {
        const at = order.indexOf(s.dataset.token);
        s.value = at >= 0 ? String(at + 1) : (places[s.dataset.token] || "");
      });
    } else if (kind === "matching") {
      const pairs = response.pairs || {};
      inputs.forEach((s) => { s.value = pairs[s.dataset.token] || ""; });
    }
  }

  function showError(qid, text) {
    const el = fieldsets[qid] && fieldsets[qid].querySelector("[data-save-error]");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
    fieldsets[qid].classList.toggle("has-error", Boolean(text));
  }

  // --- Saving -------------------------------------------------------------------------------
  function capture(qid) {
    const fs = fieldsets[qid];
    if (!fs || fs.dataset.locked) return;
    const response = read(fs);
    if (fs.dataset.kind === "ordering") {
      // Half-placed items are work in progress: save once every item has a place (or none).
      const values = Object.values(response.places);
      if (values.some((v) => v) && values.some((v) => !v)) return;
    }
    const last = Math.max(Number(fs.dataset.revision || 0), pending[qid] ? pending[qid].revision : 0);
    pending[qid] = { response, revision: Math.max(Date.now(), last + 1) };
    store();
    send(qid);
  }

  function offline() {
    setStatus(msg.msgOffline, "offline");
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      retryDelay = Math.min(retryDelay * 2, 30000);
      flush();
    }, retryDelay);
  }

  // The quiz API, as this signed-in page calls it (its session and CSRF token).
  function callApi(method, path, payload) {
    return fetch(`${api}${path}`, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload),
    });
  }

  // Handed in, timed out or locked by the teacher: no more saves; the result page says which.
  function showClosed() {
    closed = true;
    setStatus(msg.msgClosed, "closed");
    window.location.assign(form.dataset.result);
  }

  function settled() {
    if (Object.keys(pending).length === 0) setStatus(`${msg.msgSaved} ${clock()}`, "saved");
  }

  async function send(qid) {
    const item = pending[qid];
    if (closed || !item || (inFlight[qid] && inFlight[qid] >= item.revision)) return;
    inFlight[qid] = item.revision;
    setStatus(msg.msgSaving, "saving");
    let res;
    try {
      res = await callApi("PUT", `answers/${qid}/`, { response: item.response, revision: item.revision });
    } catch (e) {
      inFlight[qid] = 0;
      offline();
      return;
    }
    inFlight[qid] = 0;
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      retryDelay = 2000;
      // Acknowledged, or the server already holds a newer answer: either way nothing to resend.
      acknowledged(qid, item.revision, body.revision);
      store();
      if (pending[qid]) send(qid); else settled();
      return;
    }
    if (res.status === 409 && body.code === "answer_locked") {
      delete pending[qid];
      store();
      settled();
      return;
    }
    if (res.status === 409) {
      showClosed();
      return;
    }
    if (res.status === 400 || res.status === 404) {
      const fields = body.fields || {};
      showError(qid, (fields.response || fields.revision || [body.detail || msg.msgError]).join(" "));
      delete pending[qid];
      store();
      setStatus(msg.msgError, "error");
      return;
    }
    if (res.status === 401 || res.status === 403) {
      setStatus(msg.msgSignedOut, "error");
      return;
    }
    offline(); // 5xx, 429, a proxy error page: keep the answer and try again
  }

  // What the server said of an answer it has (saved, or a newer one stored): nothing to resend
  // unless the pupil changed it again meanwhile.
  function acknowledged(qid, sentRevision, storedRevision) {
    if (fieldsets[qid] && storedRevision) fieldsets[qid].dataset.revision = String(storedRevision);
    showError(qid, "");
    if (pending[qid] && pending[qid].revision <= Math.max(sentRevision, storedRevision || 0)) {
      delete pending[qid];
    }
  }

  // Several waiting answers (back online, or left from an earlier visit): one request.
  async function sendAll(qids) {
    const sent = qids.map((qid) => ({ question: Number(qid), response: pending[qid].response, revision: pending[qid].revision }));
    sent.forEach((item) => { inFlight[item.question] = item.revision; });
    setStatus(msg.msgSaving, "saving");
    let res;
    try {
      res = await callApi("POST", "answers/", { answers: sent });
    } catch (e) {
      sent.forEach((item) => { inFlight[item.question] = 0; });
      offline();
      return;
    }
    sent.forEach((item) => { inFlight[item.question] = 0; });
    const body = await res.json().catch(() => ({}));
    if (res.ok && Array.isArray(body.results)) {
      retryDelay = 2000;
      let failed = false;
      body.results.forEach((result, i) => {
        const qid = String(sent[i].question);
        if (result.status === "invalid") {
          const errors = result.errors || {};
          showError(qid, (errors.response || errors.question || [msg.msgError]).join(" "));
          if (pending[qid] && pending[qid].revision <= sent[i].revision) delete pending[qid];
          failed = true;
        } else {
          acknowledged(qid, sent[i].revision, result.revision);
        }
      });
      store();
      if (failed) setStatus(msg.msgError, "error");
      if (Object.keys(pending).length) flush(); else if (!failed) settled();
      return;
    }
    if (res.status === 409) {
      showClosed();
      return;
    }
    if (res.status === 401 || res.status === 403) {
      setStatus(msg.msgSignedOut, "error");
      return;
    }
    if (res.status === 400 || res.status === 404) {
      qids.forEach((qid) => send(qid)); // one by one: each answer's own error shows
      return;
    }
    offline(); // 5xx, 429, a proxy error page: keep the answers and try again
  }

  function flush() {
    const waiting = Object.keys(pending).filter((qid) => !(inFlight[qid] && inFlight[qid] >= pending[qid].revision));
    if (closed || !waiting.length) return;
    if (waiting.length === 1) send(waiting[0]); else sendAll(waiting);
  }

  // Questions changed since their last capture: saved at once when the page is hidden or the
  // time is about to run out, instead of waiting for the debounce.
  const dirty = new Set();
  function saveDirty() {
    if (closed) return;
    dirty.forEach((qid) => { clearTimeout(debounce[qid]); capture(qid); });
    dirty.clear();
  }

  form.addEventListener("input", (event) => {
    const fs = event.target.closest("fieldset[data-question]");
    if (!fs) return;
    const qid = fs.dataset.question;
    dirty.add(qid);
    clearTimeout(debounce[qid]);
    debounce[qid] = setTimeout(() => { dirty.delete(qid); capture(qid); }, fs.dataset.kind === "short_text" || fs.dataset.kind === "open" || fs.dataset.kind === "numeric" ? 700 : 150);
  });
  // Enter in a one-line answer saves that answer and stays there. (Without JavaScript it
  // presses the form's first button, a plain "save": never another question's check.)
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const el = event.target;
    if (el.tagName !== "INPUT" || el.type === "checkbox" || el.type === "radio") return;
    const fs = el.closest("fieldset[data-question]");
    if (!fs) return;
    event.preventDefault();
    dirty.delete(fs.dataset.question);
    clearTimeout(debounce[fs.dataset.question]);
    capture(fs.dataset.question);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveDirty();
  });
  form.addEventListener("change", (event) => {
    const fs = event.target.closest("fieldset[data-question]");
    if (!fs) return;
    dirty.delete(fs.dataset.question);
    clearTimeout(debounce[fs.dataset.question]);
    capture(fs.dataset.question);
  });

  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      setStatus(msg.msgOfflineSubmit, "offline");
      return;
    }
    // The form posts every answer; pending saves are superseded by it. They stay on this
    // device, marked as posted, until a page shows the server holds something newer.
    Object.keys(debounce).forEach((qid) => clearTimeout(debounce[qid]));
    closed = true;
    Object.values(pending).forEach((item) => { item.posted = true; });
    store();
  });

  window.addEventListener("online", () => { retryDelay = 2000; flush(); });
  window.addEventListener("offline", () => setStatus(msg.msgOffline, "offline"));

  // Answers left unsent by an earlier visit on this device come back and are re-sent,
  // unless the server already holds something newer.
  Object.keys(pending).forEach((qid) => {
    const fs = fieldsets[qid];
    if (!fs || fs.dataset.locked || pending[qid].revision <= Number(fs.dataset.revision || 0)) {
      delete pending[qid];
      return;
    }
    write(fs, pending[qid].response);
  });
  // Answers given before this script arrived (a slow phone) are saved too: any question whose
  // inputs differ from what the server rendered.
  const changedSinceLoad = (fs) => [...fs.querySelectorAll("input, select, textarea")].some((el) => {
    if (!el.name || el.name === "shown") return false;
    if (el.type === "radio" || el.type === "checkbox") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      const initial = [...el.options].findIndex((o) => o.defaultSelected);
      return el.selectedIndex !== Math.max(initial, 0);
    }
    return el.value !== el.defaultValue;
  });
  Object.keys(fieldsets).forEach((qid) => {
    if (!pending[qid] && changedSinceLoad(fieldsets[qid])) capture(qid);
  });
  store();
  if (Object.keys(pending).length) flush();
  form.dataset.enhanced = "true";

  // --- Timer --------------------------------------------------------------------------------
  // A countdown in the page and in the action bar; a visible warning and one announcement at
  // 5 minutes and at 1 minute (a screen reader is not interrupted every second); everything
  // typed is saved 15 s before the end, and the answers are handed in at 0 (the server still
  // accepts them for a few seconds after its deadline).
  const timer = document.getElementById("quiz-timer");
  if (timer) {
    const announce = document.getElementById("timer-announce");
    const warning = document.getElementById("timer-warning");
    const values = document.querySelectorAll("[data-timer-value]");
    const bar = document.querySelector("[data-timer-bar]");
    const endsAt = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
    const said = new Set();
    timer.hidden = false;
    if (bar) bar.hidden = false;
    const say = (mark, text) => {
      if (said.has(mark)) return;
      said.add(mark);
      warning.textContent = text;
      warning.hidden = false;
      announce.textContent = text;
    };
    const handIn = () => {
      setStatus(msg.msgTimeUp, "closed");
      if (!navigator.onLine) { setStatus(msg.msgOfflineSubmit, "offline"); return; }
      Object.keys(debounce).forEach((qid) => clearTimeout(debounce[qid]));
      closed = true;
      [["action", "submit"], ["confirm_blank", "1"]].forEach(([name, value]) => {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      });
      form.submit(); // no submitter: the hidden "action" decides
    };
    const tick = () => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      values.forEach((el) => { el.textContent = `${m}:${s}`; });
      timer.classList.toggle("is-low", left <= 60);
      if (bar) bar.classList.toggle("is-low", left <= 60);
      if (left <= 300 && left > 60 && Number(timer.dataset.secondsLeft) > 300) say(300, msg.msgFiveLeft);
      if (left <= 60 && left > 15) say(60, msg.msgOneLeft);
      if (left <= 15 && !said.has("save")) {
        said.add("save");
        setStatus(msg.msgLastSave, "saving");
        saveDirty();
        flush();
      }
      if (left === 0) {
        clearInterval(handle);
        handIn();
      }
    };
    const handle = setInterval(tick, 1000);
    tick();
  }
})();
