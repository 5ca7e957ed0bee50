// Classroom enhancements. Every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Login cards: a Print button (the browser's own Print works without it).
  document.querySelectorAll(".js-print").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll(".js-print-hint").forEach((hint) => {
    hint.hidden = true;
  });

  // Assignment form: show the group or pupil choices only when that audience is picked.
  const audience = document.querySelectorAll("input[name=audience]");
  if (audience.length) {
    const boxes = {
      groups: document.querySelector(".field[data-field=groups]"),
      pupils: document.querySelector(".field[data-field=pupils]"),
    };
    const sync = () => {
      const chosen = document.querySelector("input[name=audience]:checked")?.value;
      Object.entries(boxes).forEach(([key, box]) => {
        if (box) box.hidden = chosen !== key;
      });
    };
    audience.forEach((el) => el.addEventListener("change", sync));
    sync();
  }

  // Class codes: upper-case as you type; the server ignores spaces and dashes anyway.
  const code = document.querySelector("input[name=code]");
  if (code) {
    code.setAttribute("autocapitalize", "characters");
    code.addEventListener("input", () => {
      const at = code.selectionStart;
      code.value = code.value.toUpperCase();
      code.setSelectionRange(at, at);
    });
  }
});
