import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import { DUTY_STATUSES } from "../domain/status.ts";
import type { Messages } from "../i18n/index.ts";
import type { ExportData } from "./export-data.ts";

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 860;
const FONT = "DejaVu Sans";
const STATUS_COLORS: Record<string, string> = {
  not_started: "#b0b7c3",
  in_progress: "#3b82f6",
  blocked: "#f59e0b",
  done: "#16a34a",
};

/** Bundled fonts, not the system's: the same picture on every machine, with every Vietnamese glyph. */
function fontFiles(): string[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
}

/**
 * Duties by status per top-level agency, as shares of its duties. Members count towards their
 * group's bar, so 95 communes do not crowd out the other agencies; shares, not counts, or 95
 * communes' duties would flatten every other agency's bar.
 */
function dutySharesByTop(data: ExportData): { tops: string[]; shares: (status: string) => number[] } {
  const topOf = new Map(data.agencies.map((a) => [a.agency.code, a.parentCode ?? a.agency.code]));
  const tops = [...new Set(data.duties.map((d) => topOf.get(d.agencyCode) ?? d.agencyCode))];
  const ofTop = (top: string) => data.duties.filter((d) => (topOf.get(d.agencyCode) ?? d.agencyCode) === top);
  const shares = (status: string) =>
    tops.map((top) => {
      const all = ofTop(top);
      return all.length ? Math.round((all.filter((d) => d.status === status).length / all.length) * 1000) / 10 : 0;
    });
  return { tops, shares };
}

/** The latest rate of each indicator beside its target. */
function indicatorSeries(t: Messages, data: ExportData) {
  const text = { fontFamily: FONT };
  const round = (n: number | null) => (n === null ? 0 : Math.round(n * 100) / 100);
  const bar = (name: string, values: number[], color: string) => ({
    name,
    type: "bar",
    xAxisIndex: 0,
    yAxisIndex: 0,
    data: values,
    itemStyle: { color },
    label: { show: true, position: "top", formatter: "{c}%", ...text },
  });
  return [
    bar(
      t.reports.chartLatest,
      data.indicators.map((i) => round(i.latestRatePercent)),
      "#2563eb",
    ),
    bar(
      t.reports.chartTarget,
      data.indicators.map((i) => i.targetRatePercent),
      "#dc2626",
    ),
  ];
}

/** A group's members that submitted, as a pie beside the indicators. */
function membersPie(t: Messages, group: ExportData["agencies"][number]) {
  return {
    type: "pie",
    center: [1000, 250],
    radius: [60, 120],
    label: { fontFamily: FONT, formatter: "{b}: {c} ({d}%)" },
    data: [
      { name: t.reports.chartSubmitted, value: group.membersSubmitted, itemStyle: { color: "#16a34a" } },
      {
        name: t.reports.chartNotSubmitted,
        value: group.memberCount - group.membersSubmitted,
        itemStyle: { color: "#b0b7c3" },
      },
    ],
  };
}

/** The chart's options: indicators against targets, duties by status per agency, and a group's members submitted. */
function chartOption(t: Messages, data: ExportData): echarts.EChartsCoreOption {
  const r = t.reports;
  const text = { fontFamily: FONT };
  const { tops, shares } = dutySharesByTop(data);
  const group = data.agencies.find((a) => a.memberCount > 0);
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: text,
    title: [
      {
        text: r.chartTitle(data.plan.title),
        left: "center",
        top: 8,
        textStyle: { ...text, fontSize: 16, width: CHART_WIDTH - 40, overflow: "truncate" },
      },
      { text: r.chartIndicators, left: 40, top: 52, textStyle: { ...text, fontSize: 14 } },
      { text: r.chartDuties, left: 40, top: 452, textStyle: { ...text, fontSize: 14 } },
      ...(group
        ? [{ text: r.chartMembers(group.agency.code), left: 800, top: 52, textStyle: { ...text, fontSize: 14 } }]
        : []),
    ],
    legend: [
      { data: [r.chartLatest, r.chartTarget], left: 420, top: 52, textStyle: text },
      { data: DUTY_STATUSES.map((s) => t.bot.statusLabel[s]), right: 40, top: 452, textStyle: text },
    ],
    grid: [
      { left: 60, right: group ? 460 : 40, top: 90, height: 300 },
      { left: 60, right: 40, top: 490, height: 300 },
    ],
    xAxis: [
      { type: "category", gridIndex: 0, data: data.indicators.map((i) => i.code), axisLabel: text },
      { type: "category", gridIndex: 1, data: tops, axisLabel: { ...text, interval: 0 } },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, max: 100, axisLabel: { ...text, formatter: "{value}%" } },
      { type: "value", gridIndex: 1, max: 100, axisLabel: { ...text, formatter: "{value}%" } },
    ],
    series: [
      ...indicatorSeries(t, data),
      ...DUTY_STATUSES.map((s) => ({
        name: t.bot.statusLabel[s],
        type: "bar",
        stack: "duties",
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: shares(s),
        itemStyle: { color: STATUS_COLORS[s] },
      })),
      ...(group ? [membersPie(t, group)] : []),
    ],
  };
}

/** The progress chart as a PNG. */
export async function buildProgressChart(t: Messages, data: ExportData): Promise<Uint8Array> {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  let svg: string;
  try {
    chart.setOption(chartOption(t, data));
    svg = chart.renderToSVGString();
  } finally {
    // Left alive, the chart keeps a timer running and a CLI export never exits.
    chart.dispose();
  }
  const png = new Resvg(svg, {
    fitTo: { mode: "original" },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return new Uint8Array(png);
}
