(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var panel = document.getElementById("panel");
  var panelBody = panel.querySelector(".panel-body");
  var active = null;
  var anchor = null;

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function marksOf(id) {
    return all('.fm[data-finding="' + id + '"], .fbadge[data-finding="' + id + '"]');
  }

  function deactivate() {
    all(".active").forEach(function (el) { el.classList.remove("active"); });
    active = null;
    panel.hidden = true;
    panel.removeAttribute("data-finding");
    anchor = null;
  }

  // Show finding `id`: highlight its spans and list entry, fill the panel with
  // its arithmetic and suggestion, and scroll the text (or the list) to it.
  function activate(id, scrollToText) {
    var item = document.getElementById(id);
    if (!item) { return; }
    deactivate();
    active = id;
    item.classList.add("active");
    var marks = marksOf(id);
    marks.forEach(function (el) { el.classList.add("active"); });
    panelBody.replaceChildren(item.querySelector(".fhead").cloneNode(true), item.querySelector(".detail").cloneNode(true));
    panel.setAttribute("data-finding", id);
    panel.hidden = false;
    anchor = marks.length ? marks[0] : null;
    if (scrollToText && anchor) {
      anchor.scrollIntoView({ block: "center" });
    } else {
      item.scrollIntoView({ block: "nearest" });
    }
    placePanel();
  }

  // The panel opens under the finding's first mark (above it when there is no
  // room below), inside the text column so it never covers the findings list;
  // a finding with no place in the text gets it in the corner.
  function placePanel() {
    if (panel.hidden) { return; }
    var column = anchor ? anchor.closest(".text") : null;
    if (!anchor || !column) {
      panel.classList.add("corner");
      panel.style.left = panel.style.top = "";
      return;
    }
    panel.classList.remove("corner");
    var r = anchor.getBoundingClientRect(), box = column.getBoundingClientRect();
    var w = panel.offsetWidth, h = panel.offsetHeight;
    var left = Math.max(box.left, Math.min(r.left, box.right - w));
    var top = r.bottom + 8;
    if (top + h > window.innerHeight && r.top - h - 8 > 0) { top = r.top - h - 8; }
    panel.style.left = Math.max(4, left) + window.scrollX + "px";
    panel.style.top = top + window.scrollY + "px";
  }
  window.addEventListener("resize", placePanel);

  function findingAt(el) {
    var hit = el.closest ? el.closest(".fbadge, .fm, li.finding") : null;
    return hit ? hit.getAttribute("data-finding") : null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.closest(".panel .close")) { deactivate(); return; }
    if (target.closest(".legend, .panel")) { return; }
    var id = findingAt(target);
    if (!id) {
      if (!target.closest("a, .fig, .cit")) { deactivate(); }
      return;
    }
    tip.hidden = true;
    activate(id, !!target.closest("li.finding"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { deactivate(); tip.hidden = true; return; }
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element && target.matches("li.finding, .fbadge")) {
      event.preventDefault();
      activate(target.getAttribute("data-finding"), target.matches("li.finding"));
    }
  });

  // Hover: one tooltip listing every highlight under the pointer, innermost first.
  function tipLines(el) {
    var lines = [];
    while (el && el instanceof Element && !el.classList.contains("text")) {
      if (el.classList.contains("fm") || el.classList.contains("fbadge")) {
        var item = document.getElementById(el.getAttribute("data-finding"));
        if (item) {
          var head = item.querySelector(".fno").textContent + ". " + item.querySelector(".sev").textContent + " (" + el.getAttribute("data-rule") + ")";
          var msg = item.querySelector(".msg");
          var sugg = item.querySelector(".suggestion");
          var text = head + ": " + (msg ? msg.textContent : "") + (sugg ? "\n" + sugg.textContent : "");
          if (lines.indexOf(text) < 0) { lines.push(text); }
        }
      } else if (el.hasAttribute("data-tip")) {
        lines.push(el.getAttribute("data-tip"));
      }
      el = el.parentElement;
    }
    return lines;
  }

  function place(event) {
    var pad = 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = event.clientX + pad, y = event.clientY + pad;
    if (x + w > window.innerWidth - 4) { x = Math.max(4, event.clientX - w - pad); }
    if (y + h > window.innerHeight - 4) { y = Math.max(4, event.clientY - h - pad); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  all(".text").forEach(function (text) {
    text.addEventListener("mouseover", function (event) {
      var lines = tipLines(event.target);
      if (!lines.length) { tip.hidden = true; return; }
      tip.textContent = lines.join("\n\n");
      tip.hidden = false;
      place(event);
    });
    text.addEventListener("mousemove", function (event) { if (!tip.hidden) { place(event); } });
    text.addEventListener("mouseleave", function () { tip.hidden = true; });
  });
})();
