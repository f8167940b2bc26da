// Thin React wrapper over uPlot: builds the chart once per options object, pushes new data cheaply,
// and follows the container's width so charts resize with the window.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  /** Called once the chart exists, e.g. to keep a handle for drawing a threshold line. */
  onReady?: (chart: uPlot) => void;
  className?: string;
  ariaLabel: string;
}

export function UPlotChart({ options, data, onReady, className, ariaLabel }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth || 600);
    const u = new uPlot({ ...options, width } as uPlot.Options, latestData.current, el);
    chart.current = u;
    onReady?.(u);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: options.height });
    });
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      chart.current = null;
    };
    // The chart is rebuilt only when its options change; data flows through setData below.
  }, [options]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div ref={host} className={className ?? 'chart'} role="img" aria-label={ariaLabel} />;
}

/** Colours come from the CSS theme so charts follow light and dark mode. */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
