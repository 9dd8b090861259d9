// Preview only (never in the built site): reload after each rebuild, show build errors.
(() => {
  let seen = null;
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
    try {
      const r = await fetch("/__factsheet/status", { cache: "no-store" });
      const s = await r.json();
      if (seen !== null && s.version !== seen && !s.errors.length) { location.reload(); return; }
      seen = s.version;
      show(s.errors);
    } catch (e) { /* server restarting */ }
    setTimeout(poll, 500);
  };
  poll();
})();
