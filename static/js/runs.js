(function () {
  var card = document.getElementById("run-card"), timer = null;
  function csrf() { var m = document.cookie.match(/csrftoken=([^;]+)/); return m ? m[1] : ""; }
  function show(run) {
    var pct = run.units_total ? Math.round(100 * run.units_done / run.units_total) : (run.status === "finished" ? 100 : 0);
    document.getElementById("run-bar").style.width = pct + "%";
    document.getElementById("run-progress").setAttribute("aria-valuenow", String(pct));
    document.getElementById("run-status").textContent = (run.status === "finished" ? "完了" : "実行中") + ": " + run.units_done + " / " + run.units_total;
    document.getElementById("run-counts").textContent = "作成 " + run.invoices_created + "件 ／ 更新 " + run.invoices_updated + "件 ／ 変更なし " + run.invoices_unchanged + "件";
    var box = document.getElementById("run-problems");
    box.innerHTML = "";
    if (run.problems && run.problems.length) {
      var h = document.createElement("h3"); h.textContent = "請求書を作成できなかった団体"; box.appendChild(h);
      var ul = document.createElement("ul");
      run.problems.forEach(function (p) { var li = document.createElement("li"); li.textContent = p.body + " " + (p.name || "") + ": " + p.reason; ul.appendChild(li); });
      box.appendChild(ul);
    }
    if (run.status === "finished" && timer) { clearInterval(timer); timer = null; }
  }
  function poll() { fetch(card.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; }).then(function (run) { if (run) show(run); }); }
  document.getElementById("start-run").addEventListener("click", function () {
    fetch(this.dataset.url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf()}})
      .then(function () { if (!timer) timer = setInterval(poll, 700); poll(); });
  });
  if (card.dataset.running) timer = setInterval(poll, 700);
})();
