// Names for the admin's controls that Django's own markup leaves nameless (found by axe-core in
// tests/browser/test_accessibility.py). Run once the page has loaded: the admin builds its
// widgets (the two-list selector, the search boxes) on that same event, before this runs.
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function name(control, label) {
    if (label && !control.labels.length && !control.getAttribute("aria-label")) {
      control.setAttribute("aria-label", label);
    }
  }

  function labelTabularInlines() {
    // A tabular inline labels its columns with <th>, not its fields with <label>: each field
    // takes its column's heading as its name ("Delete?" for the last column's box).
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var headings = table.querySelectorAll("thead th");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          var match = /(?:^|\s)field-(\S+)/.exec(cell.className);
          var heading = match
            ? table.querySelector("thead th.column-" + match[1])
            : headings[index];
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            name(control, text(heading));
          });
        });
      });
    });
  }

  function nameTooltips() {
    // The two-list selector's magnifying glass carries an aria-label on a plain <span>, which
    // no role allows: it is an image of a hint.
    document.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameSearchBoxes() {
    // The search boxes (select2, autocomplete_fields) name their box by the chosen value only:
    // empty, it had no name. It takes the field's label, and keeps the value after it.
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      var selection = box.querySelector(".select2-selection");
      if (selection) {
        var shown = selection.getAttribute("aria-labelledby");
        selection.setAttribute("aria-labelledby", label.id + (shown ? " " + shown : ""));
      }
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-labelledby", label.id);
      });
      box.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        // It holds the chosen values and the search box, which is no list item.
        list.setAttribute("role", "presentation");
      });
    });
  }

  function labelDateTimes() {
    // A date-and-time field is two boxes, its <label> pointing at the first only; the words
    // before each ("Date:", "Time:") are plain text. Each takes the field's label and its word.
    document.querySelectorAll("p.datetime").forEach(function (paragraph) {
      var first = paragraph.querySelector("input");
      var label = first && document.querySelector('label[for="' + first.id + '"]');
      paragraph.querySelectorAll("input").forEach(function (control) {
        var before = control.previousSibling;
        while (before && before.nodeType !== Node.TEXT_NODE) {
          before = before.previousSibling;
        }
        var part = before ? before.textContent.replace(/[\s:]+/g, " ").trim() : "";
        control.setAttribute("aria-label", [text(label).replace(/:$/, ""), part].join(" ").trim());
      });
    });
  }

  window.addEventListener("load", function () {
    labelDateTimes();
    labelTabularInlines();
    nameTooltips();
    nameSearchBoxes();
  });
})();
