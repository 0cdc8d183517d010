// Gongjiang's few behaviours (CSP allows only our own scripts: no inline handlers).
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("submit", (e) => {
  const msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("click", (e) => {
  const el = e.target.closest("[data-confirm]:not(form)");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
});
// A freshly issued API token: select it on focus so it is easy to copy.
document.addEventListener("focusin", (e) => {
  if (e.target.matches("input[data-select-on-focus]")) e.target.select();
});
// Lists (components/pagination.html): "go to page" — Enter in the box presses its button (and never submits a form
// the list sits in); a button without htmx (a list outside a list region) goes to the page itself.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Enter" || !e.target.matches("input[data-page-jump-box]")) return;
  e.preventDefault();
  e.target.closest(".page-jump").querySelector("button[data-page-jump]").click();
});
document.addEventListener("click", (e) => {
  const button = e.target.closest("button[data-page-jump]");
  if (!button || button.hasAttribute("hx-get")) return;
  const n = parseInt(button.closest(".page-jump").querySelector("input[data-page-jump-box]").value, 10);
  if (n > 0) window.location.assign(button.dataset.pageJump + (button.dataset.pageJump.endsWith("?") ? "" : "&") + "page=" + n);
});
// A list's filter form (form.filters, refreshing the list through htmx) keeps the order and the page size the list
// is shown in (?sort=, ?per_page=: set by the column headers and the pagination, in the address bar).
document.addEventListener("htmx:configRequest", (e) => {
  const form = e.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("filters") || e.detail.verb !== "get") return;
  const current = new URLSearchParams(window.location.search);
  for (const name of ["sort", "per_page"]) {
    if (current.has(name) && !form.elements.namedItem(name)) e.detail.parameters[name] = current.get(name);
  }
});
// An export link above a list (a[data-export]) exports what the list shows now: the filters and the order in the
// address bar, which the column headers and the filter forms change through htmx while the link stays as it was drawn.
document.addEventListener("click", (e) => {
  const link = e.target.closest("a[data-export]");
  if (!link) return;
  const url = new URL(link.href, window.location.href);
  if (url.pathname !== window.location.pathname) return;
  const params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.set("export", url.searchParams.get("export") || "xlsx");
  link.href = `${url.pathname}?${params}`;
});
// Bulk actions (form[data-batch]): the row checkboxes belong to the form through form="…" (rows may hold forms of
// their own); a header box selects the page; each of the form's buttons says how many are chosen — " (3)" — and is
// off while none is. Without JavaScript the buttons work as well: the next page counts and confirms.
function batchCount(form) {
  const boxes = document.querySelectorAll(`input[data-batch-item][form="${form.id}"]`);
  const n = [...boxes].filter((b) => b.checked).length;
  form.querySelectorAll("[data-batch-count]").forEach((el) => { el.textContent = ` (${n})`; });
  form.querySelectorAll("button[data-batch-button]").forEach((b) => { b.disabled = n === 0; });
  const all = document.querySelector(`input[data-batch-all][form="${form.id}"]`);
  if (all) {
    all.checked = n > 0 && n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
  }
}
function batchForms() { document.querySelectorAll("form[data-batch]").forEach(batchCount); }
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.matches("input[data-batch-all]")) {
    document.querySelectorAll(`input[data-batch-item][form="${el.getAttribute("form")}"]`)
      .forEach((b) => { b.checked = el.checked; });
  }
  if (el.matches("input[data-batch-item], input[data-batch-all]") && el.form) batchCount(el.form);
});
document.addEventListener("DOMContentLoaded", batchForms);
document.addEventListener("htmx:afterSettle", batchForms);
