/* gongkai: draw the charts of a page from their JSON blocks (generator/render_charts.py).
 *
 * Loaded only by pages with charts, after echarts.common.min.js. The page carries data, never
 * script (the Content-Security-Policy runs no inline script). SVG renderer: crisp at any zoom and
 * in print, and its text is real text. No HTML tooltip (it writes inline style attributes, which
 * the policy refuses): every bar and point is labelled with its name and value instead, and bars
 * of several series carry patterns (decal), so nothing rests on colour alone. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return; // the tables below each chart show every figure

  var SYMBOLS = ["circle", "rect", "triangle", "diamond", "pin"];
  var PALETTE = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00"];

  // Each bar's name is written above it, from the left edge: a long 科目 name never runs off a phone's screen.
  function nameAboveBars(bars) {
    return {
      inside: true, align: "left", verticalAlign: "bottom", padding: [0, 0, bars * 8 + 4, 0],
      color: "#222", fontSize: 12
    };
  }

  function amount(text) {
    return text === null ? null : Number(text);
  }
  function formatted(value) {
    return value === null || value === undefined ? "—" : value.toLocaleString("zh-CN", {
      minimumFractionDigits: 2, maximumFractionDigits: 2
    });
  }
  function narrow(el) {
    return el.clientWidth < 560;
  }

  function shareOption(data, el) {
    var values = data.values.map(amount);
    var n = values.length;
    // Largest at the top: a horizontal bar per part, its name on the axis and amount (share) at its end.
    var order = values.map(function (_, i) { return i; }).sort(function (a, b) { return values[a] - values[b]; });
    return {
      height: Math.max(n, 1) * 44 + 16,
      option: {
        grid: { left: 4, right: narrow(el) ? 130 : 170, top: 8, bottom: 8 },
        xAxis: { type: "value", show: false },
        yAxis: {
          type: "category",
          data: order.map(function (i) { return data.labels[i]; }),
          axisTick: { show: false },
          axisLine: { show: false },
          axisLabel: nameAboveBars(1)
        },
        series: [{
          type: "bar",
          data: order.map(function (i) { return values[i]; }),
          itemStyle: { color: PALETTE[0] },
          barMaxWidth: 14,
          label: {
            show: true, position: "right", color: "#222", fontSize: 12,
            formatter: function (p) {
              var i = order[p.dataIndex];
              var share = data.shares[i];
              return formatted(values[i]) + (share !== null ? "（" + share + "%）" : "");
            }
          }
        }]
      }
    };
  }

  function seriesOption(data, el, kind) {
    var horizontal = kind === "compare";
    var labels = data.labels;
    var series = data.series.map(function (s, k) {
      var base = {
        name: s.name,
        data: s.values.map(amount),
        itemStyle: { color: PALETTE[k % PALETTE.length] },
        label: {
          show: true, color: "#222", fontSize: 11,
          position: horizontal ? "right" : "top",
          formatter: function (p) { return s.name + " " + formatted(p.value); }
        }
      };
      if (horizontal) {
        base.type = "bar";
        base.barMaxWidth = 12;
        base.barGap = "30%";
      } else {
        base.type = "line";
        base.symbol = SYMBOLS[k % SYMBOLS.length];
        base.symbolSize = 10;
        base.lineStyle = { type: ["solid", "dashed", "dotted"][k % 3], width: 2 };
      }
      return base;
    });
    var category = horizontal
      ? { type: "category", data: labels, axisTick: { show: false }, axisLine: { show: false }, axisLabel: nameAboveBars(data.series.length) }
      : { type: "category", data: labels, axisTick: { show: false }, axisLabel: { color: "#222", fontSize: 12 } };
    var value = { type: "value", axisLabel: { color: "#444", fontSize: 11 }, name: data.unit };
    return {
      height: horizontal ? labels.length * (data.series.length * 18 + 34) + 50 : 320,
      option: {
        legend: { top: 0, textStyle: { color: "#222" } },
        grid: horizontal
          ? { left: 4, right: narrow(el) ? 150 : 190, top: 40, bottom: 8 }
          : { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
        xAxis: horizontal ? Object.assign(value, { show: false }) : category,
        yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
        series: series
      }
    };
  }

  // The trend of each total in a panel of its own: totals of ten thousands and a 三公 of a few
  // would share no scale, and equal values of two lines would print their labels on each other.
  function trendOption(data) {
    var panel = 150;
    var option = { title: [], grid: [], xAxis: [], yAxis: [], series: [] };
    data.series.forEach(function (s, k) {
      var top = k * panel;
      option.title.push({ text: s.name + "（" + data.unit + "）", top: top, left: 0, textStyle: { fontSize: 13, color: "#222" } });
      option.grid.push({ left: 8, right: 40, top: top + 44, height: panel - 80, containLabel: true });
      option.xAxis.push({ type: "category", gridIndex: k, data: data.labels, axisTick: { show: false }, axisLabel: { color: "#222" } });
      option.yAxis.push({ type: "value", gridIndex: k, scale: true, splitNumber: 2, axisLabel: { color: "#444", fontSize: 11 } });
      option.series.push({
        type: "line", name: s.name, xAxisIndex: k, yAxisIndex: k,
        data: s.values.map(amount), symbol: SYMBOLS[k % SYMBOLS.length], symbolSize: 9,
        itemStyle: { color: PALETTE[k % PALETTE.length] }, lineStyle: { width: 2 },
        label: { show: true, position: "top", color: "#222", fontSize: 11, formatter: function (p) { return formatted(p.value); } }
      });
    });
    return { height: data.series.length * panel, option: option };
  }

  function draw(el) {
    var block = document.getElementById(el.getAttribute("data-chart"));
    if (!block) return;
    var data;
    try {
      data = JSON.parse(block.textContent);
    } catch (e) {
      return;
    }
    var made = data.type === "share" ? shareOption(data, el)
      : data.type === "trend" ? trendOption(data) : seriesOption(data, el, data.type);
    el.classList.add("gk-chart-on");
    el.style.height = made.height + "px";
    var option = made.option;
    option.animation = false;
    option.textStyle = { fontFamily: "inherit" };
    // aria: ECharts describes the chart to screen readers; the decal draws patterns on the bars.
    // The figure's own aria-label (a sentence in Chinese) stays what is read out.
    option.aria = { enabled: true, label: { enabled: false }, decal: { show: true } };
    var chart = echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(option);
    return chart;
  }

  function start() {
    var charts = [];
    document.querySelectorAll(".gk-chart-canvas[data-chart]").forEach(function (el) {
      var chart = draw(el);
      if (chart) charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (c) { c.resize(); });
      }, 100);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
