// The proposal form's own path (views.worker.send): a proposal without co-proposers or files is sent with the
// form's signed ticket and the page goes to the new proposal; anything else — files, co-proposers, a refusal, no
// network — is left to the form's ordinary post, which shows every problem in place.
document.addEventListener("submit", async (e) => {
  const form = e.target;
  if (!form.matches("form[data-send]") || form.dataset.sending) return;
  const files = form.querySelector("input[type=file]");
  const co = form.querySelector("[name=co_proposers]");
  if ((files && files.files.length) || (co && co.value.trim()) || !form.dataset.ticket) return;
  e.preventDefault();
  form.dataset.sending = "1";
  const sent = { ticket: form.dataset.ticket };
  for (const name of ["title", "problem", "solution", "category", "kind", "expected_benefit"]) {
    const field = form.elements.namedItem(name);
    if (field) sent[name] = field.value;
  }
  try {
    // a JSON object of strings; no cookies: the ticket is the credential (the session is neither read nor saved)
    const answer = await fetch(form.dataset.send, {
      method: "POST", body: JSON.stringify(sent), headers: { "Content-Type": "application/json" },
      credentials: "omit",
    });
    if (answer.status === 201) {
      window.location.assign(`${(await answer.json()).url}?sent=1`);
      return;
    }
  } catch (_error) { /* the ordinary post below */ }
  form.submit();
});
