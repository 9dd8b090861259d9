// Optional comforts; every page works without this file.
// - Article pages: the note of the claim in the address opens and comes into view; keys j and k
//   step to the next and previous claim; "Open all notes" (remembered); "Copy link" buttons.
// - Fact sheet: the table sorts by a column when its header is pressed.
"use strict";

(function () {
  function claims() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-claim][id^='claim-']"));
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])"));
  }

  function step(forward) {
    var list = claims();
    if (!list.length) return;
    var current = list.findIndex(function (el) { return "#" + el.id === location.hash; });
    var next;
    if (current >= 0) {
      next = forward ? Math.min(current + 1, list.length - 1) : Math.max(current - 1, 0);
    } else if (forward) {
      next = list.findIndex(function (el) { return el.getBoundingClientRect().top > 1; });
      if (next < 0) next = list.length - 1;
    } else {
      next = -1;
      list.forEach(function (el, i) { if (el.getBoundingClientRect().top < 0) next = i; });
      if (next < 0) next = 0;
    }
    location.hash = "#" + list[next].id;
  }

  // Each claim's note is a <details>. The stylesheet keeps the note of the claim in the address
  // open (matched by data-at); a note the reader closes is let go of, so that it closes.
  var notes = Array.prototype.slice.call(document.querySelectorAll("details.note"));
  document.addEventListener("toggle", function (event) {
    var note = event.target;
    if (note.matches && note.matches("details.note") && !note.open) note.removeAttribute("data-at");
  }, true);

  function noteOf(element) {
    if (!element) return null;
    if (element.matches("details.note")) return element;
    if (!element.hasAttribute("data-claim")) return null;
    return document.getElementById(element.getAttribute("aria-details") || "");
  }

  function inAddress() {
    var id = decodeURIComponent(location.hash.slice(1));
    return id ? document.getElementById(id) : null;
  }

  // The claim (or note) in the address: its note opens and is highlighted with it
  function openCurrentNote() {
    document.querySelectorAll(".note.is-current").forEach(function (note) {
      note.classList.remove("is-current");
    });
    var note = noteOf(inAddress());
    if (!note) return;
    note.open = true;
    note.classList.add("is-current");
  }

  // ... and comes into view (on narrow screens it may be far below its claim): the whole note
  // where it fits, the claim too where both fit
  function revealCurrentNote() {
    var target = inAddress();
    var note = noteOf(target);
    if (!note || note === target) return;
    var claimTop = target.getBoundingClientRect().top + window.scrollY;
    var box = note.getBoundingClientRect();
    var noteTop = box.top + window.scrollY;
    var noteBottom = box.bottom + window.scrollY;
    var wanted = Math.max(
      claimTop - parseFloat(getComputedStyle(target).scrollMarginTop || "0"),
      Math.min(noteBottom - window.innerHeight + 16, noteTop - 16)
    );
    if (Math.abs(wanted - window.scrollY) > 1) window.scrollTo({ top: wanted });
  }

  openCurrentNote();
  window.addEventListener("hashchange", function () {
    openCurrentNote();
    requestAnimationFrame(revealCurrentNote);
  });
  window.addEventListener("load", function () { requestAnimationFrame(revealCurrentNote); });

  // "Open all notes": every note opens or closes at once; the choice is remembered
  var summary = document.getElementById("summary");
  if (notes.length && summary) {
    var KEY = "factsheet-notes";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "notes-toggle";
    toggle.textContent = "Open all notes";
    var setAll = function (open) {
      toggle.setAttribute("aria-pressed", String(open));
      document.documentElement.classList.toggle("notes-open", open);
      notes.forEach(function (note) { note.open = open || note.classList.contains("is-current"); });
    };
    var remembered = null;
    try { remembered = localStorage.getItem(KEY); } catch (e) { /* storage may be off */ }
    toggle.setAttribute("aria-pressed", "false");
    if (remembered === "open") setAll(true);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-pressed") !== "true";
      setAll(open);
      try { localStorage.setItem(KEY, open ? "open" : "closed"); } catch (e) { /* not kept */ }
    });
    // beside the summary's heading, on its line, so that nothing below it moves
    summary.insertBefore(toggle, summary.firstElementChild);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      if (!claims().length) return;
      event.preventDefault();
      step(event.key === "j");
    }
  });

  // "Copy link" next to each claim's permalink
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("a[data-copy-link]").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy link";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(link.href).then(function () {
          button.textContent = "Link copied";
          setTimeout(function () { button.textContent = "Copy link"; }, 2000);
        });
      });
      link.insertAdjacentElement("afterend", button);
      link.parentNode.insertBefore(document.createTextNode(" "), button);
    });
  }

  // Sortable tables: a button in each column header; aria-sort tells the current order
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[column];
          return cell.getAttribute("data-sort") || cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          var order = key(a).localeCompare(key(b), undefined, { numeric: true, sensitivity: "base" });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var help = table.querySelector(".sort-help");
    if (help) help.textContent = ", sortable: press a column header";
  });
})();
