// Dashboard charts (ECharts). The numbers come from the page's
// <script type="application/json" id="dash-data"> block (never executed, so
// allowed by the CSP); every chart has a data table next to it for screen
// readers and for printing. Tooltips render on the canvas (richText), so no
// inline style reaches the DOM.
(function () {
  "use strict";
  var src = document.getElementById("dash-data");
  if (!src || !window.echarts) {
    return;
  }
  var d;
  try {
    d = JSON.parse(src.textContent);
  } catch (e) {
    return;
  }
  var t = d.text || {};
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts = [];
  var palette = ["#0b5394", "#e69138", "#38761d", "#a61b1b", "#674ea7"];

  function base(extra) {
    var o = {
      color: palette,
      animation: !still,
      textStyle: { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 }
    };
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k)) {
        o[k] = extra[k];
      }
    }
    return o;
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return;
    }
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.setOption(option);
    charts.push(c);
  }

  // Services by kind: count (bottom axis) and hours (top axis), horizontal
  // bars for the long kind names.
  if (d.kinds && d.kinds.length) {
    draw("chart-kind", base({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: [
        { type: "value", name: t.entries, nameLocation: "end", position: "bottom" },
        { type: "value", name: t.hours, nameLocation: "end", position: "top", splitLine: { show: false } }
      ],
      yAxis: { type: "category", data: d.kinds, inverse: true },
      series: [
        { name: t.entries, type: "bar", data: d.kind_entries, xAxisIndex: 0 },
        { name: t.hours, type: "bar", data: d.kind_hours, xAxisIndex: 1 }
      ]
    }));
  }

  // Services by month (months still to come are null: no line drawn).
  draw("chart-month", base({
    xAxis: { type: "category", data: d.months, boundaryGap: false },
    yAxis: [{ type: "value", name: t.entries }, { type: "value", name: t.hours, splitLine: { show: false } }],
    series: [
      { name: t.entries, type: "line", data: d.month_entries, smooth: false, symbolSize: 6 },
      { name: t.hours, type: "line", yAxisIndex: 1, data: d.month_hours, lineStyle: { type: "dashed" }, symbolSize: 6 }
    ]
  }));

  // On-site hours by month.
  draw("chart-onsite", base({
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", name: t.onsite_hours },
    series: [{ name: t.onsite_hours, type: "bar", data: d.month_onsite_hours, itemStyle: { color: palette[2] } }]
  }));

  // Compliance by child region: the rate of ended periods and the progress
  // of running ones, in percent.
  if (d.children && d.children.length) {
    draw("chart-children", base({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      xAxis: { type: "category", data: d.children, axisLabel: { interval: 0, rotate: d.children.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: t.rate, type: "bar", data: d.child_rate },
        { name: t.progress, type: "bar", data: d.child_progress, itemStyle: { color: palette[1] } }
      ]
    }));
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) {
      window.clearTimeout(pending);
    }
    pending = window.setTimeout(function () {
      charts.forEach(function (c) { c.resize(); });
    }, 150);
  });
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
