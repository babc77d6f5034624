// Ayuda memoria: remove and reorder points, renumber the footnotes, export the edited briefing (DOCX, Markdown).
// Only point ids and the title leave the page: the quotes are the records' own words and are never edited.
"use strict";

(function () {
  const draft = document.getElementById("borrador");
  if (!draft) return;
  const list = document.getElementById("points");
  const removed = document.getElementById("removed");
  const removedBox = document.getElementById("removed-box");
  const notes = document.getElementById("notes");
  const status = document.getElementById("status");
  const titleInput = document.getElementById("b-title");
  const noteItems = new Map(Array.from(notes.children).map((li) => [li.dataset.n, li]));

  function say(text) {
    status.textContent = text;
  }

  function points() {
    return Array.from(list.querySelectorAll(":scope > li.point"));
  }

  /** Number the points and renumber footnotes in order of first citation, as the export does. */
  function renumber() {
    const order = new Map();
    const items = points();
    items.forEach((li, i) => {
      li.querySelector(".point-number").textContent = String(i + 1) + ".";
      li.querySelector(".point-actions").setAttribute("aria-label", "Punto " + (i + 1));
      li.querySelector(".move-up").disabled = i === 0;
      li.querySelector(".move-down").disabled = i === items.length - 1;
      li.querySelector(".move-up").setAttribute("aria-label", "Subir el punto " + (i + 1));
      li.querySelector(".move-down").setAttribute("aria-label", "Bajar el punto " + (i + 1));
      li.querySelector(".remove").setAttribute("aria-label", "Quitar el punto " + (i + 1));
      for (const sup of li.querySelectorAll("sup.marker")) {
        const n = sup.dataset.n;
        if (!order.has(n)) order.set(n, order.size + 1);
        sup.textContent = String(order.get(n));
      }
    });
    notes.replaceChildren();
    for (const [n, k] of order) {
      const li = noteItems.get(n);
      li.value = k;
      notes.appendChild(li);
    }
    removedBox.hidden = removed.children.length === 0;
    document.getElementById("export-docx").disabled = items.length === 0;
    document.getElementById("export-md").disabled = items.length === 0;
  }

  function move(li, delta) {
    const items = points();
    const i = items.indexOf(li);
    const j = i + delta;
    if (j < 0 || j >= items.length) return;
    if (delta < 0) list.insertBefore(li, items[j]);
    else list.insertBefore(items[j], li);
    renumber();
    const button = li.querySelector(delta < 0 ? ".move-up" : ".move-down");
    (button.disabled ? li.querySelector(delta < 0 ? ".move-down" : ".move-up") : button).focus();
    say("Punto movido a la posición " + (j + 1) + " de " + items.length + ".");
  }

  function remove(li) {
    const items = points();
    const i = items.indexOf(li);
    const next = items[i + 1] || items[i - 1];
    const text = li.querySelector(".point-text").textContent;
    const entry = document.createElement("li");
    entry.dataset.id = li.dataset.id;
    const span = document.createElement("span");
    span.className = "removed-text";
    span.textContent = text.length > 140 ? text.slice(0, 140) + "…" : text;
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "secondary restore";
    restore.textContent = "Restaurar";
    restore.setAttribute("aria-label", "Restaurar el punto: " + span.textContent);
    restore.addEventListener("click", () => {
      list.appendChild(li);
      entry.remove();
      renumber();
      li.querySelector(".remove").focus();
      say("Punto restaurado al final.");
    });
    entry.append(span, " ", restore);
    removed.appendChild(entry);
    li.remove();
    renumber();
    if (next) next.querySelector(".remove").focus();
    else titleInput.focus();
    say("Punto quitado. Quedan " + points().length + ".");
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const li = button.closest("li.point");
    if (button.dataset.action === "up") move(li, -1);
    else if (button.dataset.action === "down") move(li, 1);
    else if (button.dataset.action === "remove") remove(li);
  });

  // Alt+ArrowUp / Alt+ArrowDown move the point that holds the focus.
  list.addEventListener("keydown", (event) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    const li = event.target.closest("li.point");
    if (!li) return;
    event.preventDefault();
    move(li, event.key === "ArrowUp" ? -1 : 1);
  });

  async function exportAs(format) {
    const title = titleInput.value.trim();
    if (!title) {
      say("Escriba un título antes de exportar.");
      titleInput.focus();
      return;
    }
    const body = { title: title, points: points().map((li) => li.dataset.id) };
    say("Preparando la exportación…");
    const url = "/v1/briefings/" + encodeURIComponent(draft.dataset.briefingId) + "/export?format=" + format;
    let response;
    try {
      response = await window.Compromisos.apiFetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (err) {
      say("No se pudo contactar con el servicio.");
      return;
    }
    if (!response.ok) {
      let detail = "La exportación falló (" + response.status + ").";
      try {
        detail = (await response.json()).detail || detail;
      } catch (err) { /* not JSON */ }
      say(detail);
      return;
    }
    const blob = await response.blob();
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = /filename="([^"]+)"/.exec(disposition);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = match ? match[1] : "ayuda_memoria." + format;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    say("Exportada: " + a.download + ".");
  }

  document.getElementById("export-docx").addEventListener("click", () => exportAs("docx"));
  document.getElementById("export-md").addEventListener("click", () => exportAs("md"));
  renumber();
})();
