import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import { DUTY_STATES, dutyState, type DutyState } from "../domain/status.ts";
import type { Messages } from "../i18n/index.ts";
import type { ExportData } from "./export-data.ts";
import { memberNoun } from "./report-outline.ts";
import { shortAgencyName, shortIndicatorName } from "../domain/short-name.ts";

/** The drawing's size in CSS pixels: A4 landscape's proportions (297 × 210). */
export const CHART_VIEW = { width: 1188, height: 840 } as const;
/** Drawn at twice the size, about 200 dpi across an A4 page: small type stays sharp on paper. */
export const CHART_SCALE = 2;
export const CHART_WIDTH = CHART_VIEW.width * CHART_SCALE;
export const CHART_HEIGHT = CHART_VIEW.height * CHART_SCALE;
const FONT = "DejaVu Sans";
const PIE_CENTER = [CHART_VIEW.width - 215, 255];
const INK = "#1f2937";
const MUTED = "#6b7280";

const STATE_COLORS: Record<DutyState, string> = {
  done: "#16a34a",
  in_progress: "#3b82f6",
  blocked: "#f59e0b",
  not_started: "#b0b7c3",
  not_reported: "#e5e7eb",
};

/** Bundled fonts, not the system's: the same picture on every machine, with every Vietnamese glyph. */
function fontFiles(): string[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
}

/**
 * Duties by state per top-level agency, as shares of its duties. Members count towards their
 * group's bar, so 95 communes do not crowd out the other agencies; shares, not counts, or 95
 * communes' duties would flatten every other agency's bar.
 */
function dutySharesByTop(data: ExportData) {
  const topOf = new Map(data.agencies.map((a) => [a.agency.code, a.parentCode ?? a.agency.code]));
  const top = (code: string) => topOf.get(code) ?? code;
  const codes = [...new Set(data.duties.map((d) => top(d.agencyCode)))];
  const names = new Map(data.agencies.map((a) => [a.agency.code, a.agency.name]));
  const shares = (state: DutyState) =>
    codes.map((code) => {
      const all = data.duties.filter((d) => top(d.agencyCode) === code);
      return all.length ? Math.round((all.filter((d) => dutyState(d) === state).length / all.length) * 1000) / 10 : 0;
    });
  return { tops: codes.map((code) => ({ code, name: names.get(code) ?? code })), shares };
}

const text = (size: number, extra: Record<string, unknown> = {}) => ({
  fontFamily: FONT,
  fontSize: size,
  color: INK,
  ...extra,
});

/** The latest rate of each indicator beside its target; one without a figure says so instead of a 0 bar. */
function indicatorSeries(t: Messages, data: ExportData) {
  const r = t.reports;
  const label = { show: true, position: "top", ...text(13), formatter: (p: { value: number }) => t.pct(p.value) };
  const latest = data.indicators.map((i) =>
    i.latestRatePercent === null
      ? {
          value: 0,
          itemStyle: { color: "transparent" },
          label: {
            show: true,
            position: "insideBottom",
            rotate: 90,
            align: "left",
            verticalAlign: "middle",
            ...text(13, { color: MUTED }),
            formatter: r.chartNoFigure,
          },
        }
      : { value: i.latestRatePercent },
  );
  return [
    {
      name: r.chartLatest,
      type: "bar",
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: latest,
      itemStyle: { color: "#2563eb" },
      label,
    },
    {
      name: r.chartTarget,
      type: "bar",
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: data.indicators.map((i) => i.targetRatePercent),
      itemStyle: { color: "#dc2626" },
      label,
    },
  ];
}

/** A group's members that sent their report, as a ring beside the indicators. */
function membersPie(t: Messages, group: ExportData["agencies"][number]) {
  const r = t.reports;
  const share = (n: number) => t.pct(Math.round((n / group.memberCount) * 10000) / 100);
  const sent = group.membersSubmitted;
  const notSent = group.memberCount - sent;
  return {
    type: "pie",
    center: PIE_CENTER,
    radius: [52, 96],
    label: {
      ...text(13),
      formatter: (p: { name: string; value: number }) => `${p.name}: ${p.value}\n(${share(p.value)})`,
    },
    data: [
      { name: r.chartSubmitted, value: sent, itemStyle: { color: "#16a34a" } },
      { name: r.chartNotSubmitted, value: notSent, itemStyle: { color: "#b0b7c3" } },
    ],
  };
}

/** Lines of at most `width` characters, broken between words (a longer word keeps its own line). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The category labels: a short name, then in small type what the code or figure is. */
const RICH = { small: text(11, { color: MUTED, lineHeight: 16 }), name: text(13, { lineHeight: 17 }) };

function axes(t: Messages, data: ExportData, tops: { code: string; name: string }[]) {
  const r = t.reports;
  const percent = (v: number) => t.pct(v);
  const indicatorLabels = data.indicators.map(
    (i) =>
      `{name|${shortIndicatorName(i.name)}}\n{small|${r.chartFigure(i.latestParticipants, i.targetParticipants)}}\n{small|${i.code}}`,
  );
  // Wrapped here rather than by ECharts: its own wrapping of rich text ignores the line break before the code.
  const perLine = Math.max(8, Math.floor(1040 / Math.max(1, tops.length) / 8));
  const agencyLabels = tops.map(
    (a) =>
      `${wrapWords(shortAgencyName(a.name), perLine)
        .map((line) => `{name|${line}}`)
        .join("\n")}\n{small|${a.code}}`,
  );
  return {
    xAxis: [
      { type: "category", gridIndex: 0, data: indicatorLabels, axisLabel: { interval: 0, rich: RICH, margin: 10 } },
      {
        type: "category",
        gridIndex: 1,
        data: agencyLabels,
        axisLabel: { interval: 0, rich: RICH, margin: 10 },
      },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, max: 100, axisLabel: { ...text(12), formatter: percent } },
      { type: "value", gridIndex: 1, max: 100, axisLabel: { ...text(12), formatter: percent } },
    ],
  };
}

/** Indicators against targets, duties by state per agency, and a group's members that sent their report. */
function chartOption(t: Messages, data: ExportData): echarts.EChartsCoreOption {
  const r = t.reports;
  const { tops, shares } = dutySharesByTop(data);
  const group = data.agencies.find((a) => a.memberCount > 0);
  const title = r.chartTitle(data.plan.title);
  // One line when it can be: DejaVu Sans averages about 0.63 em a character in bold.
  const titleSize = Math.max(13, Math.min(19, Math.floor(1120 / (0.63 * title.length))));
  const stateName = (s: DutyState) => t.bot.statusLabel[s];
  const members = group ? data.agencies.filter((a) => a.parentCode === group.agency.code && a.memberCount === 0) : [];
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT },
    title: [
      {
        text: title,
        left: "center",
        top: 14,
        textStyle: text(titleSize, { fontWeight: "bold", width: 1120, overflow: "break" }),
      },
      {
        text: r.chartAsOf(data.generatedAt),
        left: "center",
        top: 44,
        textStyle: text(14, { color: MUTED, fontWeight: "normal" }),
      },
      { text: r.chartIndicators, left: 40, top: 88, textStyle: text(15, { fontWeight: "bold" }) },
      { text: r.chartDuties, left: 40, top: 446, textStyle: text(15, { fontWeight: "bold" }) },
      ...(group
        ? [
            {
              // Centred over the ring, wrapped by hand (ECharts without a canvas underestimates widths).
              text: wrapWords(r.chartMembers(shortAgencyName(group.agency.name), memberNoun(t, members)), 40).join(
                "\n",
              ),
              left: PIE_CENTER[0],
              textAlign: "center",
              top: 88,
              textStyle: text(15, { fontWeight: "bold", lineHeight: 20 }),
            },
          ]
        : []),
    ],
    legend: [
      // Wide gaps: without a canvas ECharts guesses text widths, and DejaVu Sans is wider than its guess.
      { data: [r.chartLatest, r.chartTarget], left: 40, top: 114, itemGap: 24, textStyle: text(13) },
      { data: DUTY_STATES.map(stateName), left: 40, top: 472, itemGap: 24, textStyle: text(13) },
    ],
    grid: [
      { left: 70, right: group ? 450 : 40, top: 150, height: 200 },
      { left: 70, right: 40, top: 510, height: 220 },
    ],
    ...axes(t, data, tops),
    series: [
      ...indicatorSeries(t, data),
      ...DUTY_STATES.map((s) => ({
        name: stateName(s),
        type: "bar",
        stack: "duties",
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: shares(s),
        itemStyle: { color: STATE_COLORS[s], borderColor: "#ffffff", borderWidth: 0.5 },
        // Shares big enough to hold their figure carry it, so the print needs no legend lookup for sizes.
        label: {
          show: true,
          ...text(11, { color: s === "in_progress" || s === "done" ? "#ffffff" : INK }),
          formatter: (p: { value: number }) => (p.value >= 8 ? t.pct(p.value) : ""),
        },
      })),
      ...(group ? [membersPie(t, group)] : []),
    ],
  };
}

/** The chart as SVG text: what the PNG is drawn from, and what a test can read the texts on. */
export function renderChartSvg(t: Messages, data: ExportData): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: CHART_VIEW.width,
    height: CHART_VIEW.height,
  });
  try {
    chart.setOption(chartOption(t, data));
    return chart.renderToSVGString();
  } finally {
    // Left alive, the chart keeps a timer running and a CLI export never exits.
    chart.dispose();
  }
}

/** The progress chart as a PNG. */
export async function buildProgressChart(t: Messages, data: ExportData): Promise<Uint8Array> {
  const png = new Resvg(renderChartSvg(t, data), {
    fitTo: { mode: "zoom", value: CHART_SCALE },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return new Uint8Array(png);
}
