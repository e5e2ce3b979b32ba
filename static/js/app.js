// Searchable selects: any <select data-searchable> becomes a Tom Select box; with
// data-search-url it loads its options from the server as the user types. The box's own words
// come translated from the page (<body data-select-no-results>): Tom Select only knows English.
var selectTexts = document.body.dataset;
document.querySelectorAll("select[data-searchable]").forEach(function (select) {
  var url = select.dataset.searchUrl;
  var options = {
    maxOptions: 50,
    allowEmptyOption: true,
    render: {
      no_results: function (data, escape) {
        return '<div class="no-results">' + escape(selectTexts.selectNoResults) + "</div>";
      },
    },
  };
  if (url) {
    options.valueField = "id";
    options.labelField = "text";
    options.searchField = "text";
    options.load = function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (json) { callback(json.results); })
        .catch(function () { callback(); });
    };
  }
  new TomSelect(select, options);
  // Tom Select gives the field's <label> to its own search box and keeps the original select,
  // visually hidden, only to carry the value in the form: no one uses it, so it leaves the
  // accessibility tree (unlabelled there, a screen reader would announce a nameless list).
  select.setAttribute("aria-hidden", "true");
});

// Tables that become cards on a phone (class table-cards, see static/css/app.css): each cell
// gets its column's name as data-label, read from the header row without the words meant for
// screen readers only (the sort hint). The stylesheet stacks a table only once it is labelled,
// so without this script a table stays a table within its own scroller.
document.querySelectorAll("table.table-cards").forEach(function (table) {
  var header = table.tHead && table.tHead.rows[0];
  if (!header) return;
  var names = [];
  Array.prototype.forEach.call(header.cells, function (cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".visually-hidden, [aria-hidden=true]").forEach(function (hidden) {
      hidden.remove();
    });
    for (var span = 0; span < cell.colSpan; span++) names.push(copy.textContent.trim());
  });
  Array.prototype.forEach.call(table.tBodies, function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.colSpan === 1 && names[column]) cell.dataset.label = names[column];
        column += cell.colSpan;
      });
    });
  });
  table.classList.add("table-cards-labelled");
});

// A list's filters come folded (templates/partials/list_page.html): on a phone the first record
// must show without scrolling past them. On a wide screen there is room: once the list was
// filtered (or sorted, or paged) they unfold, as they did before phones were thought of.
if (window.matchMedia("(min-width: 992px)").matches) {
  document.querySelectorAll("details.list-filters[data-unfold]").forEach(function (filters) {
    filters.open = true;
  });
}
