// bienche serve: the page's only script. Every text from a file (names, messages)
// goes in through textContent, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const JOB_STATES = { queued: "đang chờ", running: "đang xử lý", done: "đã xong", failed: "thất bại" };
  let limits = null;
  let polling = null;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function megabytes(bytes) {
    return (bytes / 1e6).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + " MB";
  }

  function say(text, kind) {
    const box = $("message");
    box.textContent = text;
    box.className = "message" + (kind === "info" ? " info" : "");
    box.hidden = !text;
  }

  async function loadLimits() {
    try {
      const answer = await fetch("/api/limits");
      limits = await answer.json();
      $("limits").textContent = "Tối đa " + limits.max_files + " tệp mỗi lần, " + megabytes(limits.max_file_bytes) +
        " mỗi tệp, " + megabytes(limits.max_total_bytes) + " tất cả. Định dạng: " + limits.suffixes.join(" ");
    } catch (error) {
      limits = null;
    }
  }

  function tooMuch(files) {
    if (!limits) return null;
    if (files.length > limits.max_files) return "Quá nhiều tệp: " + files.length + " (tối đa " + limits.max_files + ").";
    let total = 0;
    for (const file of files) {
      total += file.size;
      const isZip = file.name.toLowerCase().endsWith(".zip");
      if (!isZip && file.size > limits.max_file_bytes) return file.name + ": lớn hơn " + megabytes(limits.max_file_bytes) + ".";
    }
    if (total > limits.max_total_bytes) return "Tổng dung lượng lớn hơn " + megabytes(limits.max_total_bytes) + ".";
    return null;
  }

  function upload(fileList) {
    const files = Array.from(fileList);
    if (!files.length) return;
    const problem = tooMuch(files);
    if (problem) { say(problem); return; }
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    const request = new XMLHttpRequest();
    request.open("POST", "/api/jobs");
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) say("Đang gửi tệp… " + Math.round((100 * event.loaded) / event.total) + "%", "info");
    };
    request.onload = () => {
      const body = request.response || {};
      if (request.status === 201 && body.id) { say(""); startJob(body.id); }
      else say("Không nhận được tệp (" + request.status + "): " + (body.detail || request.statusText));
    };
    request.onerror = () => say("Không gửi được tệp: mất kết nối tới máy chủ.");
    say("Đang gửi " + files.length + " tệp…", "info");
    request.send(form);
  }

  function startJob(id) {
    if (polling) clearTimeout(polling);
    $("results").tBodies[0].replaceChildren();
    $("downloads").hidden = true;
    $("skipped").hidden = true;
    $("viewer").hidden = true;
    $("job").hidden = false;
    $("job").dataset.job = id;
    poll(id);
  }

  async function poll(id) {
    let snapshot;
    try {
      const answer = await fetch("/api/jobs/" + encodeURIComponent(id));
      snapshot = await answer.json();
      if (!answer.ok) { say(snapshot.detail || "Lỗi " + answer.status); return; }
    } catch (error) {
      say("Mất kết nối tới máy chủ; thử lại…");
      polling = setTimeout(() => poll(id), 2000);
      return;
    }
    render(snapshot);
    if (snapshot.status === "queued" || snapshot.status === "running") polling = setTimeout(() => poll(id), 400);
  }

  function render(job) {
    $("job").dataset.status = job.status;
    $("job-state").textContent = "(" + (JOB_STATES[job.status] || job.status) + ")";
    $("bar").max = Math.max(1, job.total);
    $("bar").value = job.done;
    $("count").textContent = "Đã xử lý " + job.done + "/" + job.total + " tệp";
    const body = $("results").tBodies[0];
    for (const file of job.files) {
      let row = body.querySelector('tr[data-index="' + file.index + '"]');
      if (!row) { row = document.createElement("tr"); row.dataset.index = String(file.index); body.append(row); }
      fillRow(row, file);
    }
    if (job.error) say(job.error);
    showSkipped(job.skipped);
    if (job.status === "done") showDownloads(job.downloads);
  }

  function cell(col, content, className) {
    const td = el("td", null, className);
    td.dataset.col = col;
    if (content instanceof Node) td.append(content); else if (content !== undefined && content !== null) td.textContent = String(content);
    return td;
  }

  function messages(entries, className) {
    const list = el("div", null, className);
    for (const entry of entries) {
      const line = el("div");
      line.append(el("code", entry.code), document.createTextNode(entry.message));
      list.append(line);
    }
    return list;
  }

  function findings(counts) {
    const span = el("span");
    if (!counts.errors && !counts.warnings) { span.textContent = "Không có"; return span; }
    if (counts.errors) span.append(el("span", counts.errors + " lỗi", "sev-error"));
    if (counts.errors && counts.warnings) span.append(document.createTextNode(", "));
    if (counts.warnings) span.append(el("span", counts.warnings + " cảnh báo", "sev-warning"));
    return span;
  }

  function fillRow(row, file) {
    const done = file.status === "done";
    const failed = done && file.errors.length > 0;
    row.dataset.name = file.name;
    row.dataset.status = failed ? "failed" : file.status;
    row.className = failed ? "failed" : "";
    const status = done ? (failed ? "Không đọc được" : "Xong") : "Đang chờ";
    const cells = [
      cell("name", file.name, "name"),
      cell("status", status, "status-" + (failed ? "failed" : file.status)),
      cell("pages", done ? (file.pages ?? "—") : "", "num"),
      cell("citations", done ? file.citations : "", "num"),
      cell("figures", done ? file.figures : "", "num"),
      cell("errors", done ? messages(file.errors, "err") : null),
      cell("findings", done ? findings(file.findings) : null),
      cell("report", done && !failed ? viewButton(file) : null),
    ];
    if (done && file.warnings.length) cells[5].append(messages(file.warnings, "warn"));
    row.replaceChildren(...cells);
  }

  function viewButton(file) {
    const button = el("button", "Xem", "button view");
    button.type = "button";
    button.addEventListener("click", () => {
      $("viewer-name").textContent = file.name;
      $("viewer-frame").src = file.report;
      $("viewer").hidden = false;
      $("viewer").scrollIntoView({ block: "start" });
    });
    return button;
  }

  function showSkipped(skipped) {
    const box = $("skipped");
    box.hidden = !skipped.length;
    box.querySelector("ul").replaceChildren(...skipped.map((line) => el("li", line)));
  }

  function showDownloads(downloads) {
    for (const link of $("downloads").querySelectorAll("a[data-file]")) {
      const url = downloads[link.dataset.file];
      if (url) link.href = url;
    }
    $("downloads").hidden = false;
  }

  function wireDrop() {
    const zone = $("drop");
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("over"); });
    }
    for (const name of ["dragleave", "drop"]) zone.addEventListener(name, () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => { event.preventDefault(); upload(event.dataTransfer.files); });
    window.addEventListener("dragover", (event) => event.preventDefault());
    window.addEventListener("drop", (event) => event.preventDefault());
    $("pick").addEventListener("change", () => { upload($("pick").files); $("pick").value = ""; });
    zone.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") $("pick").click(); });
    $("viewer-close").addEventListener("click", () => { $("viewer").hidden = true; $("viewer-frame").src = "about:blank"; });
  }

  wireDrop();
  loadLimits();
})();
