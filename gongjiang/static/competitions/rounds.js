// The organiser's round pages (CSP: our own script only, no inline handlers).
document.addEventListener("click", (e) => {
  // A draw form shows two witness rows; "+ another witness" reveals the next hidden one.
  const add = e.target.closest("[data-add-witness]");
  if (add) {
    const row = add.form && add.form.querySelector("[data-extra-witness][hidden]");
    if (row) {
      row.hidden = false;
      const input = row.querySelector("input");
      if (input) input.focus();
    }
    if (!add.form || !add.form.querySelector("[data-extra-witness][hidden]")) add.hidden = true;
    return;
  }
  // The printable draw record.
  if (e.target.closest("[data-print]")) window.print();
});
