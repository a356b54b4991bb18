/**
 * ECharts through `echarts/core`, registering only the charts and components the explorer uses
 * (bar, line, sankey, tree), so the bundle does not carry the whole library.
 */
import { BarChart, LineChart, SankeyChart, TreeChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { EChartsCoreOption } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

echarts.use([
  BarChart,
  LineChart,
  SankeyChart,
  TreeChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = EChartsCoreOption;

type Cell = string | number;
interface SeriesLike {
  type?: string;
  name?: string;
  data?: unknown[];
  links?: { source: string; target: string; value: Cell }[];
  label?: { formatter?: unknown };
}
interface TreeLike {
  name: string;
  value?: Cell;
  children?: TreeLike[];
}

/**
 * The numbers a chart draws, as a table: categories by series (bar, line), flows (sankey), or the
 * nodes of a tree with their depth. What screen readers read and anyone can copy.
 */
export function chartTable(
  option: ChartOption,
  words: { category: string; from: string; to: string; value: string; name: string },
): { head: string[]; rows: Cell[][] } {
  const o = option as {
    xAxis?: { name?: string; data?: Cell[] } | { name?: string; data?: Cell[] }[];
    series?: SeriesLike[];
  };
  const series = o.series ?? [];
  const sankey = series.find((x) => x.type === "sankey");
  if (sankey !== undefined) {
    // Node names are ids; the chart's own label formatter says them in words.
    const formatter = sankey.label?.formatter;
    const say = (name: string) =>
      typeof formatter === "function" ? String((formatter as (p: { name: string }) => unknown)({ name })) : name;
    return {
      head: [words.from, words.to, words.value],
      rows: (sankey.links ?? []).map((l) => [say(l.source), say(l.target), l.value]),
    };
  }
  const tree = series.find((x) => x.type === "tree");
  if (tree !== undefined) {
    const rows: Cell[][] = [];
    const walk = (n: TreeLike, depth: number) => {
      rows.push(["\u3000".repeat(depth) + n.name, n.value ?? ""]);
      for (const c of n.children ?? []) walk(c, depth + 1);
    };
    for (const root of (tree.data ?? []) as TreeLike[]) walk(root, 0);
    return { head: [words.name, words.value], rows };
  }
  const axis = Array.isArray(o.xAxis) ? o.xAxis[0] : o.xAxis;
  const categories = axis?.data ?? [];
  return {
    head: [axis?.name ?? words.category, ...series.map((x) => x.name ?? "")],
    rows: categories.map((c, i) => [c, ...series.map((x) => (x.data?.[i] as Cell | undefined) ?? "")]),
  };
}

export function Chart({ option, height = 320, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (el.current === null) return;
    const c = echarts.init(el.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  const table = useMemo(
    () =>
      chartTable(option, {
        category: t("common.chartCategory"),
        from: t("common.chartFrom"),
        to: t("common.chartTo"),
        value: t("common.chartValue"),
        name: t("common.chartName"),
      }),
    [option, t],
  );
  return (
    <figure className="chart-figure">
      <div
        ref={el}
        className="chart"
        style={{ height }}
        data-testid={testId}
        role="img"
        aria-label={t("common.chartLabel")}
      />
      <details className="chart-data" data-testid={testId === undefined ? undefined : `${testId}-data`}>
        <summary>{t("common.chartData")}</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {table.head.map((h, i) => (
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{typeof c === "number" ? c.toLocaleString() : c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** The phone layout's breakpoint (styles.css): charts lay themselves out for it. */
const NARROW = "(max-width: 720px)";

/** Whether the screen is a phone's (follows rotation and resizing). */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => typeof matchMedia === "function" && matchMedia(NARROW).matches);
  useEffect(() => {
    if (typeof matchMedia !== "function") return;
    const q = matchMedia(NARROW);
    const on = () => setNarrow(q.matches);
    q.addEventListener("change", on);
    return () => q.removeEventListener("change", on);
  }, []);
  return narrow;
}
