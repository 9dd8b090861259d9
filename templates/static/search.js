// The search page: Pagefind's index, searched as the reader types, in the site's own list.
//
// A classic script (it also runs from disk, to say that search does not work there).
// search.html lists the parts of the index (data-parts: folders relative to the site root).
// The first part's pagefind.js is loaded when the reader first uses the form; the other parts
// are merged into it. Each result says the claim's verdict in words, quotes it and links to it
// in its article; articles are results too. The verdict and article selects are Pagefind
// filters. The address keeps the query (?q=...&verdict=...&article=...), so a search can be
// shared and survives going back. A status line, a live region, says how many results there are.

(() => {
const PAGE_SIZE = 20;

const root = document.getElementById("search");
if (root) start(root);

function start(root) {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-query");
  const verdict = document.getElementById("search-verdict");
  const article = document.getElementById("search-article");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const parts = (root.dataset.parts || "").split(" ").filter(Boolean);
  // search.html stands at the site's root: its folder is the site, wherever it is served
  const site = new URL(".", document.baseURI);

  if (location.protocol === "file:") {
    // browsers do not load the index's module from disk: say so, and offer the fact sheet
    document.getElementById("search-fallback").classList.add("is-shown");
    root.hidden = true;
    return;
  }

  let pagefind = null;
  let loading = null;
  let shown = []; // the results of the current search
  let count = 0; // how many of them are in the list
  let generation = 0; // the latest search; answers to older ones are dropped
  let timer = 0;

  function load() {
    if (!loading) {
      loading = (async () => {
        const first = new URL(parts[0], site);
        const module = await import(new URL("pagefind.js", first).href);
        const options = { basePath: first.pathname, baseUrl: site.pathname, excerptLength: 28 };
        await module.options(options);
        for (const part of parts.slice(1)) {
          await module.mergeIndex(new URL(part, site).pathname, { baseUrl: site.pathname });
        }
        await module.init();
        fillArticles(await module.filters());
        pagefind = module;
        return module;
      })();
    }
    return loading;
  }

  function fillArticles(filters) {
    const titles = Object.keys((filters && filters.article) || {}).sort((a, b) =>
      a.localeCompare(b),
    );
    const wanted = article.dataset.wanted || article.value;
    for (const title of titles) {
      const option = document.createElement("option");
      option.value = title;
      option.textContent = title;
      article.append(option);
    }
    if (wanted) article.value = wanted;
  }

  function selected() {
    const filters = {};
    if (verdict.value) filters.verdict = verdict.value;
    const chosen = article.value || article.dataset.wanted || "";
    if (chosen) filters.article = chosen;
    return filters;
  }

  async function run() {
    const query = input.value.trim();
    const filters = selected();
    remember(query, filters);
    const mine = ++generation;
    if (!query && !Object.keys(filters).length) {
      clear();
      say("");
      return;
    }
    if (!parts.length) {
      clear();
      say("There is nothing to search yet.");
      return;
    }
    if (!pagefind) say("Loading the search index…");
    let found;
    try {
      const module = await load();
      found = await module.search(query || null, { filters });
    } catch (error) {
      if (mine === generation) say("The search could not be loaded. Try the fact sheet instead.");
      console.warn("search:", error);
      return;
    }
    if (mine !== generation || !found) return; // a newer search has started
    clear();
    shown = found.results;
    await showMore(mine);
    if (mine !== generation) return;
    say(summary(shown.length, query, filters));
  }

  async function showMore(mine) {
    const next = shown.slice(count, count + PAGE_SIZE);
    const data = await Promise.all(next.map((result) => result.data()));
    if (mine !== generation) return;
    const items = data.map(render);
    list.append(...items);
    count += items.length;
    more.hidden = count >= shown.length;
    return items;
  }

  function clear() {
    list.replaceChildren();
    shown = [];
    count = 0;
    more.hidden = true;
  }

  function say(text) {
    status.textContent = text;
  }

  function summary(total, query, filters) {
    const what = total === 1 ? "1 result" : `${total} results`;
    const words = query ? ` for “${query}”` : "";
    const narrowed = [filters.verdict && filters.verdict.toLowerCase(), filters.article && `in “${filters.article}”`]
      .filter(Boolean)
      .join(", ");
    const shownNote = total > count ? `, the first ${count} shown` : "";
    return `${total ? what : "No results"}${words}${narrowed ? ` (${narrowed})` : ""}${shownNote}.`;
  }

  function render(data) {
    const meta = data.meta || {};
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    heading.className = "search-result-title";
    const link = document.createElement("a");
    link.href = data.url;
    if (meta.kind === "claim") {
      item.dataset.resultVerdict = meta.verdict || "";
      const label = verdictLabel(meta.verdict, meta.label);
      label.classList.add("search-result-verdict");
      heading.append(label, " ");
      link.textContent = quoted(meta.quote || meta.title || "");
    } else {
      item.dataset.resultKind = "article";
      const kind = document.createElement("span");
      kind.className = "search-result-kind";
      kind.textContent = "Article ";
      heading.append(kind);
      link.textContent = meta.title || data.url;
    }
    heading.append(link);
    item.append(heading);
    if (meta.correction) {
      const correction = document.createElement("p");
      correction.className = "correction";
      const strong = document.createElement("strong");
      strong.textContent = "Correction:";
      correction.append(strong, ` ${meta.correction}`);
      item.append(correction);
    }
    const excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    excerpt.append(...marked(data.excerpt || ""));
    item.append(excerpt);
    if (meta.kind === "claim" && meta.article) {
      const where = document.createElement("p");
      where.className = "search-result-where";
      const cite = document.createElement("cite");
      cite.textContent = meta.article;
      where.append("In ", cite);
      item.append(where);
    }
    return item;
  }

  function verdictLabel(key, words) {
    const template = root.querySelector(`template[data-verdict-template="${CSS.escape(key || "")}"]`);
    if (template) return template.content.firstElementChild.cloneNode(true);
    const span = document.createElement("span");
    span.className = "verdict";
    span.textContent = words || key || "";
    return span;
  }

  function quoted(text) {
    return /^["“‘']/.test(text) ? text : `“${text}”`;
  }

  // Pagefind's excerpt is text with <mark> around the words found: keep exactly that.
  function marked(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const nodes = [];
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    }
    return nodes;
  }

  function remember(query, filters) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (filters.verdict) params.set("verdict", filters.verdict);
    if (filters.article) params.set("article", filters.article);
    const search = params.toString();
    const address = `${location.pathname}${search ? `?${search}` : ""}`;
    if (address !== `${location.pathname}${location.search}`) history.replaceState(null, "", address);
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", later);
  verdict.addEventListener("change", run);
  article.addEventListener("change", () => {
    delete article.dataset.wanted;
    run();
  });
  more.addEventListener("click", async () => {
    const items = await showMore(generation);
    if (items && items.length) {
      items[0].querySelector("a").focus();
      say(summary(shown.length, input.value.trim(), selected()));
    }
  });
  // start loading the index as soon as the reader turns to the form
  form.addEventListener("focusin", () => parts.length && load().catch(() => {}), { once: true });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if ([...verdict.options].some((o) => o.value === params.get("verdict"))) {
    verdict.value = params.get("verdict");
  }
  if (params.get("article")) article.dataset.wanted = params.get("article");
  if (input.value || verdict.value || article.dataset.wanted) run();
}
})();
