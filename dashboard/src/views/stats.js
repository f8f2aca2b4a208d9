// Stats: records per day, duration, success and error rate over 7/30/90 days, from the stats
// RPCs (GET /stats/trends, /stats), drawn with Chart.js.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { api } from "../session.js";
import { el, field, fmt, message, table } from "../ui.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** Per-day totals over every connector, one entry per day of the window (days without runs: 0). */
export function dailySeries(trends, days, today = new Date()) {
  const byDay = new Map();
  for (const t of trends) {
    const d = String(t.day).slice(0, 10);
    const a = byDay.get(d) ?? { runs: 0, succeeded: 0, failures: 0, records: 0, durationSum: 0 };
    a.runs += Number(t.runs);
    a.succeeded += Number(t.succeeded);
    a.failures += Number(t.failures);
    a.records += Number(t.records ?? 0);
    a.durationSum += Number(t.avg_duration_seconds ?? 0) * Number(t.runs);
    byDay.set(d, a);
  }
  const out = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i))
      .toISOString().slice(0, 10);
    const a = byDay.get(d) ?? { runs: 0, succeeded: 0, failures: 0, records: 0, durationSum: 0 };
    out.push({
      day: d,
      records: a.records,
      runs: a.runs,
      avgDuration: a.runs ? a.durationSum / a.runs : null,
      successRate: a.runs ? (100 * a.succeeded) / a.runs : null,
      errorRate: a.runs ? (100 * a.failures) / a.runs : null,
    });
  }
  return out;
}

export function render(root) {
  const range = el(
    "select",
    { id: "stats-days", name: "days" },
    [7, 30, 90].map((d) => el("option", { value: d }, `${d} days`)),
  );
  const charts = el("div", { className: "charts" });
  const summary = el("div", { id: "stats-summary" });
  root.append(
    el("h2", {}, "Stats"),
    el("form", { className: "filters" }, field("Window", range)),
    charts,
    summary,
  );
  let drawn = [];

  const chart = (id, title, type, labels, datasets, yTitle) => {
    const canvas = el("canvas", { id, attrs: { role: "img", "aria-label": title } });
    charts.append(
      el(
        "figure",
        { className: "chart" },
        el("figcaption", {}, title),
        el("div", { className: "chart-box" }, canvas),
      ),
    );
    drawn.push(
      new Chart(canvas, {
        type,
        data: { labels, datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } },
        },
      }),
    );
  };

  let latest = 0;
  const load = async () => {
    const days = Number(range.value);
    const mine = ++latest;
    try {
      const [{ trends }, { stats }] = await Promise.all([
        api("GET", `/stats/trends?days=${days}`),
        api("GET", `/stats?days=${days}`),
      ]);
      if (mine !== latest) return; // a newer window was chosen meanwhile
      for (const c of drawn) c.destroy();
      drawn = [];
      charts.replaceChildren();
      const s = dailySeries(trends, days);
      const labels = s.map((x) => x.day.slice(5));
      chart("chart-records", "Records per day", "bar", labels, [{
        label: "records",
        data: s.map((x) => x.records),
        backgroundColor: "#2f6fde",
      }], "records");
      chart("chart-duration", "Average run duration (s)", "line", labels, [{
        label: "seconds",
        data: s.map((x) => x.avgDuration),
        borderColor: "#8a4fff",
        spanGaps: true,
      }], "seconds");
      chart("chart-rates", "Success and error rate (%)", "line", labels, [
        { label: "success %", data: s.map((x) => x.successRate), borderColor: "#1f8a4c", spanGaps: true },
        { label: "error %", data: s.map((x) => x.errorRate), borderColor: "#c62828", spanGaps: true },
      ], "%");
      summary.replaceChildren(
        table(
          `Per stream, last ${days} days`,
          ["Connector", "Stream", "Runs", "Success", "Avg s", "p95 s", "Records"],
          stats.map((r) =>
            el(
              "tr",
              {},
              el("td", {}, r.connector),
              el("td", {}, r.stream ?? "(all streams)"),
              el("td", { className: "num" }, fmt(r.runs)),
              el(
                "td",
                { className: "num" },
                r.success_rate === null ? "–" : `${Math.round(r.success_rate * 100)}%`,
              ),
              el("td", { className: "num" }, fmt(r.avg_duration_seconds)),
              el("td", { className: "num" }, fmt(r.p95_duration_seconds)),
              el("td", { className: "num" }, fmt(r.total_records)),
            )
          ),
          { id: "stats-table" },
        ),
      );
    } catch (err) {
      charts.replaceChildren(message(err.message));
    }
  };
  range.addEventListener("change", load);
  load();
  return () => drawn.forEach((c) => c.destroy());
}
