// Formsets whose rows the user adds: a [data-formset] box holds its rows, a <template> with
// the empty row (its fields named with __prefix__) and an "add" button, hidden without this
// script. Each click appends a copy numbered after the last row and counts it in TOTAL_FORMS.
document.querySelectorAll("[data-formset]").forEach(function (box) {
  var prefix = box.dataset.formset;
  var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  var template = box.querySelector("template[data-formset-empty]");
  var rows = box.querySelector("[data-formset-rows]");
  var button = box.querySelector("[data-formset-add]");
  if (!total || !template || !rows || !button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("textarea, input:not([type=hidden]), select");
    if (first) first.focus();
  });
});
