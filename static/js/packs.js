// Pack status pages: while a pack is queued or building, ask the API for its status every few
// seconds and reload once it is ready or failed. Without JavaScript the "Check again" link does
// the same job.
(() => {
  const WAITING = new Set(["queued", "building"]);
  const slots = [...document.querySelectorAll("[data-status-url]")]
    .filter((el) => WAITING.has(el.dataset.packStatus));
  if (!slots.length) return;
  let delay = 2000;
  const poll = async () => {
    for (const slot of slots) {
      try {
        const response = await fetch(slot.dataset.statusUrl, {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        if (response.status === 404) { window.location.reload(); return; }
        if (!response.ok) continue;
        const data = await response.json();
        if (data.status !== slot.dataset.packStatus) {
          // Keep the screen-reader status in step before the page reloads.
          const status = slot.querySelector(".pack-status");
          if (status) status.textContent = data.status_label || data.status;
          window.location.reload();
          return;
        }
      } catch (error) {
        // Offline for a moment: try again later.
      }
    }
    delay = Math.min(delay * 1.5, 15000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
})();
