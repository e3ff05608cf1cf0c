/* kg graph page: draws the embedded graph with vis-network, lets the layout settle, then freezes it.
 * Adds node tooltips, a search box and a per-type filter.
 * Every text from the graph (untrusted: it comes from paper abstracts) reaches the DOM through textContent
 * or an element property, never as HTML; tooltips are elements, which vis-network shows as they are. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const info = new Map();

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function section(parent, heading, items) {
    if (!items.length) return;
    parent.appendChild(element("div", "kg-tip-section", heading));
    const list = element("ul");
    items.forEach((item) => list.appendChild(element("li", "", item)));
    parent.appendChild(list);
  }

  function facts(kg) {
    if (kg.kind === "Paper") return [kg.identifier, kg.date].filter(Boolean);
    const out = [kg.papers === 1 ? "1 paper" : kg.papers + " papers"];
    if (kg.acronyms.length) out.push("Acronyms: " + kg.acronyms.join(", "));
    if (kg.types.length > 1) out.push("Typed as: " + kg.types.join(", "));
    return out;
  }

  function tooltip(kg, color) {
    const box = element("div", "kg-tip");
    const head = element("div", "kg-tip-head");
    const kind = element("span", "kg-tip-kind", kg.focus ? kg.kind + " · focus" : kg.kind);
    kind.style.background = color;
    head.append(kind, element("strong", "kg-tip-name", kg.name));
    box.appendChild(head);
    facts(kg).forEach((fact) => box.appendChild(element("div", "kg-tip-fact", fact)));
    section(box, "Top papers", kg.top);
    section(box, "Claims", kg.claims);
    return box;
  }

  const nodes = new vis.DataSet(
    data.nodes.map((raw) => {
      const { kg, ...node } = raw;
      info.set(node.id, kg);
      node.title = tooltip(kg, node.color.background);
      return node;
    }),
  );
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("kg-network"), { nodes, edges }, data.options);

  const loading = document.getElementById("kg-loading");
  const progress = loading.querySelector("progress");
  network.on("stabilizationProgress", (params) => {
    progress.value = params.iterations / params.total;
  });
  network.once("stabilizationIterationsDone", () => {
    // Freeze: dragging a node afterwards moves that node only, and nothing keeps the CPU busy.
    network.setOptions({ physics: { enabled: false } });
    loading.hidden = true;
    document.body.dataset.state = "ready";
  });

  const hiddenKinds = new Set();
  const form = document.getElementById("kg-search");
  const input = form.elements.q;
  const status = document.getElementById("kg-matches");

  const names = document.getElementById("kg-names");
  new Set(Array.from(info.values(), (kg) => kg.name)).forEach((name) => {
    const option = document.createElement("option");
    option.value = name;
    names.appendChild(option);
  });

  function matches(query) {
    const needle = query.trim().toLowerCase();
    if (!needle) return [];
    const found = [];
    info.forEach((kg, id) => {
      if (hiddenKinds.has(kg.kind)) return;
      const names = [kg.name, ...kg.acronyms, kg.identifier || ""];
      if (names.some((name) => name.toLowerCase().includes(needle))) found.push(id);
    });
    return found;
  }

  function find(zoom) {
    const found = matches(input.value);
    network.selectNodes(found);
    status.textContent = input.value.trim() ? found.length + (found.length === 1 ? " match" : " matches") : "";
    if (zoom && found.length) network.fit({ nodes: found, animation: { duration: 400 } });
  }

  input.addEventListener("input", () => find(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    find(true);
  });
  document.getElementById("kg-reset").addEventListener("click", () => {
    input.value = "";
    find(false);
    network.fit({ animation: { duration: 400 } });
  });

  document.querySelectorAll("#kg-legend input[data-kind]").forEach((box) => {
    box.addEventListener("change", () => {
      const kind = box.dataset.kind;
      if (box.checked) hiddenKinds.delete(kind);
      else hiddenKinds.add(kind);
      const changes = [];
      info.forEach((kg, id) => {
        if (kg.kind === kind) changes.push({ id, hidden: !box.checked });
      });
      nodes.update(changes);
      find(false);
    });
  });

  // For the browser tests and for anyone poking at the page from the developer console.
  window.kgGraph = { network, nodes, edges, info };
})();
