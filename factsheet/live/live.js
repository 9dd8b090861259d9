// Preview only (never in the built site): reload when this page's file changed, show build
// errors. The status request waits on the server until the next update is done (a long poll).
(() => {
  const path = decodeURIComponent(location.pathname).replace(/^\//, "");
  const page = path === "" || path.endsWith("/") ? `${path}index.html` : path;
  let seen = null;
  let attempts = null;
  const show = (errors) => {
    let box = document.getElementById("factsheet-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("section");
      box.id = "factsheet-errors";
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    box.textContent = "";
    const h = document.createElement("h2");
    h.textContent = `The last edit did not build (${errors.length} error${errors.length > 1 ? "s" : ""}); this page shows the last good build.`;
    const pre = document.createElement("pre");
    pre.textContent = errors.join("\n");
    box.append(h, pre);
  };
  const poll = async () => {
    let wait = 0;
    try {
      const after = attempts === null ? "" : `&after=${attempts}`;
      const query = `?page=${encodeURIComponent(page)}${after}`;
      const r = await fetch(`/__factsheet/status${query}`, { cache: "no-store" });
      const s = await r.json();
      if (seen !== null && s.page !== seen) { location.reload(); return; }
      seen = s.page;
      attempts = s.attempts;
      show(s.errors);
    } catch (e) {
      wait = 1000; // the server is restarting
    }
    setTimeout(poll, wait);
  };
  poll();
})();
