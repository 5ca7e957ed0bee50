// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // Filters submit on change where a select is the only control that changed.
  document.querySelectorAll("form.filters select[data-autosubmit]").forEach((el) =>
    el.addEventListener("change", () => el.form.requestSubmit()));
});
