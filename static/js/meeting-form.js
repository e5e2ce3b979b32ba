// The meeting form shows the place for in-person meetings and the link for virtual ones;
// both stay visible until a modality is chosen.
(function () {
  var radios = document.querySelectorAll("input[name='modality']");
  function update() {
    var chosen = document.querySelector("input[name='modality']:checked");
    document.querySelectorAll("[data-modality]").forEach(function (box) {
      box.hidden = Boolean(chosen) && box.dataset.modality !== chosen.value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
