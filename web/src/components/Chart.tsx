// An ECharts chart (only the parts used are bundled). Options come from the page; the chart
// resizes with its box and is disposed with it. Every chart sits beside a table with the same
// figures, so nothing is only in a picture.
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  TitleComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, TitleComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** Colours that keep 3:1 contrast on white and separate for common colour blindness. */
export const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f'];

export function Chart(props: { option: ChartOption; label: string; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animation: false, ...props.option }, true);
  }, [props.option]);
  return (
    <div
      class="chart"
      ref={box}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      style={{ height: `${props.height ?? 300}px` }}
    />
  );
}
