// Documentos: drag-and-drop upload with a progress bar per file (sending, then the indexing job), and delete.
"use strict";
(function () {
  const api = window.Compromisos;
  const form = document.getElementById("upload-form");
  const POLL_MS = 400;
  const STAGES = { queued: "En cola", converting: "Leyendo el archivo", ocr: "Reconociendo el texto (OCR)",
    embedding: "Indexando pasajes", committing: "Guardando" };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function announce(id, text) { const s = document.getElementById(id); if (s) s.textContent = text; }
  function fmt(n) { return Number(n).toLocaleString("es-ES"); }

  function errorText(status, body) {
    if (body && body.detail) return body.detail;
    if (status === 413) return "El archivo es demasiado grande.";
    if (status === 0) return "No se pudo conectar con el servicio.";
    return "La subida falló (error " + status + ").";
  }

  if (form) {
    const input = document.getElementById("files");
    const zone = document.getElementById("dropzone");
    const list = document.getElementById("upload-list");
    const button = document.getElementById("upload-button");
    const hint = document.getElementById("upload-hint");
    let queue = [];

    function addFiles(files) {
      for (const file of files) {
        const li = el("li", "upload-item");
        const name = el("div", "name", file.name);
        const titleLabel = el("label", "small");
        const titleId = "title-" + Math.random().toString(36).slice(2);
        titleLabel.setAttribute("for", titleId);
        titleLabel.textContent = "Título de «" + file.name + "»";
        const title = el("input");
        title.type = "text"; title.id = titleId; title.maxLength = 500; title.className = "item-title";
        const bar = el("progress");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", "Progreso de " + file.name);
        const state = el("div", "state", "Listo para subir (" + fmt(Math.ceil(file.size / 1024)) + " KB)");
        const remove = el("button", "secondary small", "Quitar");
        remove.type = "button";
        remove.setAttribute("aria-label", "Quitar " + file.name + " de la subida");
        const item = { file, li, title, bar, state, remove, done: false };
        remove.addEventListener("click", () => { queue = queue.filter((q) => q !== item); li.remove(); refresh(); });
        li.append(name, titleLabel, title, bar, state, remove);
        list.append(li);
        queue.push(item);
      }
      refresh();
    }
    function refresh() {
      const pending = queue.filter((q) => !q.done).length;
      button.disabled = pending === 0;
      hint.textContent = pending ? pending + (pending === 1 ? " archivo listo." : " archivos listos.") : "Elija al menos un archivo.";
    }

    input.addEventListener("change", () => { addFiles(input.files); input.value = ""; });
    ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
    zone.addEventListener("drop", (e) => { if (e.dataTransfer && e.dataTransfer.files.length) addFiles(e.dataTransfer.files); });

    function metadataFor(item, many) {
      const meta = {};
      const own = item.title.value.trim();
      const shared = document.getElementById("meta-title").value.trim();
      if (own) meta.title = own; else if (shared && !many) meta.title = shared;
      const date = document.getElementById("meta-date").value;
      if (date) meta.date = date;
      const conf = document.getElementById("meta-conference").value.trim();
      if (conf) meta.conference = conf;
      const type = document.getElementById("meta-doc-type").value.trim();
      if (type) meta.doc_type = type;
      const tags = document.getElementById("meta-tags").value.split(",").map((t) => t.trim()).filter(Boolean);
      if (tags.length) meta.tags = tags;
      return meta;
    }

    function send(item, meta) {
      return new Promise((resolve) => {
        const data = new FormData();
        data.append("file", item.file, item.file.name);
        if (Object.keys(meta).length) data.append("metadata", JSON.stringify(meta));
        const xhr = new XMLHttpRequest();
        xhr.open("POST", "/v1/documents");
        xhr.setRequestHeader("Prefer", "respond-async");
        const token = api.csrfToken();
        if (token) xhr.setRequestHeader("X-CSRF-Token", token);
        xhr.upload.addEventListener("progress", (e) => {
          if (e.lengthComputable) {
            const pct = Math.round((e.loaded / e.total) * 100);
            item.bar.value = Math.min(30, pct * 0.3);
            item.state.textContent = "Enviando: " + pct + " %";
          }
        });
        xhr.addEventListener("load", () => {
          let body = null;
          try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
          resolve({ status: xhr.status, body });
        });
        xhr.addEventListener("error", () => resolve({ status: 0, body: null }));
        xhr.send(data);
      });
    }

    async function poll(item, jobId) {
      for (;;) {
        const res = await api.apiFetch("/v1/jobs/" + encodeURIComponent(jobId));
        const body = await res.json().catch(() => null);
        if (!res.ok || !body) return { failed: true, error: body };
        const job = body.job;
        const p = job.progress || {};
        const label = STAGES[p.stage] || "Procesando";
        if (job.status === "done") return { result: job.result };
        if (job.status === "failed") return { failed: true, error: job.error };
        let pct = 35;
        if (p.stage === "embedding" && p.total) pct = 40 + Math.round((p.done / p.total) * 50);
        else if (p.stage === "committing") pct = 95;
        item.bar.value = pct;
        item.state.textContent = label + (p.stage === "embedding" && p.total ? ": " + fmt(p.done) + " de " + fmt(p.total) + " pasajes" : "…");
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }

    function finish(item, ok, text) {
      item.done = true;
      item.bar.value = 100;
      item.li.classList.add(ok ? "ok" : "err");
      item.li.dataset.outcome = ok ? "ok" : "error";
      item.state.textContent = text;
      item.title.disabled = true;
      item.remove.remove();
      announce("upload-status", item.file.name + ": " + text);
    }

    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const todo = queue.filter((q) => !q.done);
      const many = todo.length > 1;
      button.disabled = true;
      let indexed = 0;
      for (const item of todo) {
        item.state.textContent = "Enviando…";
        const { status, body } = await send(item, metadataFor(item, many));
        if (status !== 202 || !body || !body.job) { finish(item, false, errorText(status, body)); continue; }
        const outcome = await poll(item, body.job.id);
        if (outcome.failed) { finish(item, false, errorText(0, outcome.error) ); continue; }
        const r = outcome.result;
        if (r.status === "duplicate") finish(item, false, "Ya estaba indexado como «" + r.title + "»: no se volvió a indexar.");
        else if (r.status === "superseded") finish(item, false, "Una versión más reciente de este archivo ya está indexada: esta se descartó.");
        else {
          indexed += 1;
          finish(item, true, "Indexado: " + fmt(r.pages) + (r.pages === 1 ? " página, " : " páginas, ") + fmt(r.chunks) + (r.chunks === 1 ? " pasaje." : " pasajes."));
        }
      }
      refresh();
      if (indexed) {
        const link = el("a", null, "Actualizar la lista de registros");
        link.href = "/documentos";
        hint.textContent = "";
        hint.append(link);
      }
    });
  }

  document.querySelectorAll(".delete-button").forEach((b) => {
    b.addEventListener("click", async () => {
      const title = b.dataset.title;
      if (!window.confirm("¿Borrar «" + title + "»? Sus pasajes y compromisos dejarán de aparecer en las búsquedas.")) return;
      b.disabled = true;
      const res = await api.apiFetch("/v1/documents/" + encodeURIComponent(b.dataset.id), { method: "DELETE" });
      if (res.status === 204) {
        b.closest("tr").remove();
        announce("delete-status", "Se borró «" + title + "».");
      } else {
        const body = await res.json().catch(() => null);
        b.disabled = false;
        const msg = errorText(res.status, body);
        announce("delete-status", msg);
        window.alert(msg);
      }
    });
  });
})();
