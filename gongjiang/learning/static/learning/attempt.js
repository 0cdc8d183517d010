// The attempt page: one question per screen, each answer saved as it is given, kept on the phone until the server
// has it (a reload or a lost connection loses nothing), the server's remaining time counted down, submission at 0.
(() => {
  "use strict";
  const root = document.querySelector("[data-attempt]");
  if (!root) return;
  const SEP = "\u001f";
  const form = root.querySelector("[data-attempt-form]");
  const sections = Array.from(root.querySelectorAll("section.question"));
  const index = Array.from(root.querySelectorAll("[data-jump]"));
  const status = root.querySelector("[data-status]");
  const store = "gongjiang.attempt." + root.dataset.attempt;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let pending = {};
  try { pending = JSON.parse(localStorage.getItem(store) || "{}"); } catch (e) { pending = {}; }
  let current = 0;
  let closing = false;

  const keep = () => { try { localStorage.setItem(store, JSON.stringify(pending)); } catch (e) { /* private mode */ } };

  function given(section) {
    const pos = section.dataset.position;
    const kind = section.dataset.code[0];
    const inputs = Array.from(section.querySelectorAll("input[name=a" + pos + "]"));
    if (kind === "f") return inputs.map((i) => i.value.trim()).join(SEP).replace(new RegExp(SEP + "+$"), "");
    return inputs.filter((i) => i.checked).map((i) => i.value).sort().join("");
  }

  function apply(section, value) {
    const pos = section.dataset.position;
    const kind = section.dataset.code[0];
    const inputs = Array.from(section.querySelectorAll("input[name=a" + pos + "]"));
    if (kind === "f") {
      const parts = value.split(SEP);
      inputs.forEach((i, n) => { i.value = parts[n] || ""; });
    } else {
      inputs.forEach((i) => { i.checked = value.includes(i.value); });
    }
  }

  function mark(pos) {
    const section = sections[pos];
    const button = index[pos];
    if (button) button.classList.toggle("answered", given(section) !== "");
  }

  function show(pos) {
    current = Math.max(0, Math.min(sections.length - 1, pos));
    sections.forEach((s, n) => { s.hidden = n !== current; });
    index.forEach((b, n) => b.classList.toggle("current", n === current));
    sections[current].scrollIntoView({ block: "nearest" });
  }

  async function send(pos) {
    if (!(pos in pending)) return true;
    const value = pending[pos];
    const body = new FormData();
    body.append("ticket", root.dataset.ticket);
    body.append("position", pos);
    body.append("given", value);
    let response;
    try {
      response = await fetch(root.dataset.answerUrl, {
        method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": token },
      });
    } catch (e) {
      status.textContent = root.dataset.offline;
      return false;
    }
    const section = sections[pos];
    const error = section.querySelector("[data-error]");
    if (response.ok) {
      if (pending[pos] === value) { delete pending[pos]; keep(); }
      error.hidden = true;
      status.textContent = root.dataset.saved;
      return true;
    }
    let message = "";
    try { message = (await response.json()).error || ""; } catch (e) { message = ""; }
    if (response.status === 409) {
      delete pending[pos]; keep();
      status.textContent = root.dataset.closed;
      if (!closing) { closing = true; setTimeout(() => window.location.reload(), 1500); }
      return true;
    }
    if (response.status >= 500) { status.textContent = root.dataset.offline; return false; }
    delete pending[pos]; keep();
    error.textContent = message;
    error.hidden = false;
    return true;
  }

  async function flush() {
    let ok = true;
    for (const pos of Object.keys(pending)) ok = (await send(pos)) && ok;
    if (ok && Object.keys(pending).length === 0) status.textContent = status.textContent === root.dataset.offline ? "" : status.textContent;
    return ok;
  }

  const timers = {};
  function changed(section, wait) {
    const pos = section.dataset.position;
    pending[pos] = given(section);
    keep();
    mark(Number(pos));
    clearTimeout(timers[pos]);
    timers[pos] = setTimeout(() => send(pos), wait);
  }

  root.classList.add("js-paged");
  // What this phone kept and the server may not have: shown again, sent again.
  Object.entries(pending).forEach(([pos, value]) => { if (sections[pos]) apply(sections[pos], value); });
  sections.forEach((s, n) => mark(n));
  const firstOpen = sections.findIndex((s) => given(s) === "");
  show(firstOpen >= 0 ? firstOpen : 0);
  flush();

  root.addEventListener("change", (e) => {
    const section = e.target.closest("section.question");
    if (section) changed(section, 0);
  });
  root.addEventListener("input", (e) => {
    const section = e.target.closest("section.question");
    if (section && e.target.type === "text") changed(section, 800);
  });
  root.addEventListener("click", (e) => {
    const go = e.target.closest("[data-go]");
    if (go) show(current + Number(go.dataset.go));
    const jump = e.target.closest("[data-jump]");
    if (jump) show(Number(jump.dataset.jump));
  });
  window.addEventListener("online", flush);
  setInterval(() => { if (Object.keys(pending).length) flush(); }, 5000);

  form.addEventListener("submit", async (e) => {
    if (form.dataset.sending) return;
    e.preventDefault();
    const open = sections.filter((s) => given(s) === "").length;
    if (!closing) {
      const question = open ? root.dataset.unanswered.replace("{n}", open) : root.dataset.confirm;
      if (!window.confirm(question)) return;
    }
    await flush();
    form.dataset.sending = "1";
    try { localStorage.removeItem(store); } catch (err) { /* ignore */ }
    form.submit();  // the form carries every answer too: what could not be sent is saved with the submission
  });

  // The server's time: counted down from what the page was given; at 0 the answers are submitted.
  const timer = root.querySelector("[data-timer]");
  const end = performance.now() + Number(root.dataset.remaining) * 1000;
  function tick() {
    const left = Math.max(0, Math.round((end - performance.now()) / 1000));
    const m = Math.floor(left / 60);
    const s = left % 60;
    timer.textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    timer.classList.toggle("warn", left <= 60);
    if (left <= 0 && !closing) {
      closing = true;
      flush().finally(() => { form.dataset.sending = "1"; form.submit(); });
      return;
    }
    setTimeout(tick, 500);
  }
  tick();
})();
