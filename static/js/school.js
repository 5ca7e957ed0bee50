// School admin pages. Every page works without this file: the link can be selected and copied.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".js-select-all").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
  document.querySelectorAll(".js-copy").forEach((button) => {
    const source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(source.value);
      button.textContent = button.dataset.done;
    });
  });
});
