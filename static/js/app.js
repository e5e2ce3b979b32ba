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
