// The admin, for screen readers and keyboards (issue 9, axe-core): names for the
// autocomplete (select2) boxes, keyboard use of the ordering arrows of sortable inlines,
// and the release form's "unsaved changes" question after rows are reordered by dragging.
// Loaded on every admin page by templates/admin/base_site.html.
(function () {
  "use strict";

  var nameCount = 0;

  // The text that names a <select>: its own aria-label (inline rows,
  // releases.widgets.name_row_inputs) or its <label>.
  function nameOf(select) {
    var own = select.getAttribute("aria-label");
    if (own) {
      return own;
    }
    var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  // An element holding that name, for aria-labelledby (select2 labels its box with the
  // chosen value only, empty for an empty box).
  function nameElement(select) {
    var id = select.id ? select.id + "-name" : "newsroom-name-" + ++nameCount;
    var element = document.getElementById(id);
    if (!element) {
      element = document.createElement("span");
      element.id = id;
      element.className = "newsroom-visually-hidden";
      element.textContent = nameOf(select);
      select.parentNode.insertBefore(element, select);
    }
    return element;
  }

  function nameSelect2(container) {
    var select = container.previousElementSibling;
    while (select && select.tagName !== "SELECT") {
      select = select.previousElementSibling;
    }
    // Dropdowns are select2 containers too, appended to <body>: only boxes are named.
    if (!select || container.dataset.newsroomNamed || !container.querySelector(".select2-selection")) {
      return;
    }
    container.dataset.newsroomNamed = "1";
    var name = nameElement(select);
    var box = container.querySelector(".select2-selection");
    var rendered = container.querySelector(".select2-selection__rendered");
    if (box) {
      var ids = [name.id];
      if (rendered && rendered.id && box.querySelector(".select2-selection__rendered[role]")) {
        ids.push(rendered.id); // the single box: its name, then its value
        rendered.setAttribute("aria-labelledby", name.id);
      }
      box.setAttribute("aria-labelledby", ids.join(" "));
    }
    var search = container.querySelector(".select2-search__field");
    if (search) {
      search.setAttribute("aria-label", name.textContent);
    }
  }

  // The search field of a single box's dropdown exists only while it is open.
  function nameDropdownSearch(field) {
    var match = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls") || "");
    var select = match && document.getElementById(match[1]);
    if (select && !field.getAttribute("aria-label")) {
      field.setAttribute("aria-label", nameOf(select));
    }
  }

  // The sortable inlines' "first" and "last" arrows (adminsortable2) are clickable
  // icons: made focusable, usable with Enter and Space, and named after their row.
  function equipArrows(root) {
    root.querySelectorAll("fieldset.sortable .sort i[role=button]").forEach(function (arrow) {
      if (arrow.hasAttribute("tabindex")) {
        return;
      }
      arrow.setAttribute("tabindex", "0");
      var row = arrow.closest("p");
      var what = row ? row.firstChild.textContent.trim() : "";
      if (what) {
        var where = arrow.classList.contains("move-begin") ? "first" : "last";
        arrow.setAttribute("aria-label", "Move " + what + " to the " + where + " position");
        arrow.setAttribute("title", arrow.getAttribute("aria-label"));
      }
      arrow.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          arrow.click();
          arrow.focus();
        }
      });
    });
  }

  // Reordering rows changes hidden inputs only, which fires no "change": the release
  // form's unsaved-changes check (static/js/unsaved_changes.js) is told here.
  function watchOrder(tbody) {
    function order() {
      return Array.prototype.map
        .call(tbody.querySelectorAll("tr.has_original"), function (row) {
          return row.id;
        })
        .join(" ");
    }
    var initial = order();
    new MutationObserver(function () {
      var now = order();
      if (now !== initial) {
        initial = now;
        tbody.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }).observe(tbody, { childList: true });
  }

  // django-prose-editor shows an unavailable menu button (nothing to undo, no text
  // selected for a link) by a "disabled" class and a faint colour only: said here with
  // aria-disabled, so screen readers know it and contrast checks read it as inactive
  // (WCAG 1.4.3 exempts inactive controls).
  function syncDisabled(button) {
    button.setAttribute("aria-disabled", String(button.classList.contains("disabled")));
  }

  function watchMenubars(root) {
    root.querySelectorAll(".prose-menubar").forEach(function (menubar) {
      if (menubar.dataset.newsroomWatched) {
        return;
      }
      menubar.dataset.newsroomWatched = "1";
      menubar.querySelectorAll(".prose-menubar__button").forEach(syncDisabled);
      new MutationObserver(function (records) {
        records.forEach(function (record) {
          if (record.target.classList.contains("prose-menubar__button")) {
            syncDisabled(record.target);
          }
        });
      }).observe(menubar, { attributes: true, attributeFilter: ["class"], subtree: true });
    });
  }

  function equip(root) {
    watchMenubars(root);
    root.querySelectorAll(".select2-container").forEach(nameSelect2);
    equipArrows(root);
  }

  window.addEventListener("load", function () {
    equip(document);
    document.querySelectorAll("fieldset.sortable table tbody").forEach(watchOrder);
    // Boxes made later: rows added to an inline, a dropdown opened.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== Node.ELEMENT_NODE) {
            return;
          }
          if (node.matches(".prose-menubar") || node.querySelector(".prose-menubar")) {
            watchMenubars(node.parentNode || node);
          }
          if (node.matches(".select2-container")) {
            nameSelect2(node);
          }
          node.querySelectorAll(".select2-container").forEach(nameSelect2);
          node.querySelectorAll(".select2-search__field").forEach(nameDropdownSearch);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
