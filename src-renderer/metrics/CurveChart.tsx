// ROC or PR curve with uPlot (x and y in [0, 1]).
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart, cssVar } from '../components/UPlotChart';

export function CurveChart({ x, y, xLabel, yLabel, ariaLabel, diagonal = false }: { x: number[]; y: number[]; xLabel: string; yLabel: string; ariaLabel: string; diagonal?: boolean }) {
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => {
    const axis = cssVar('--c-muted', '#888');
    const grid = cssVar('--c-grid', 'rgba(128,128,128,0.2)');
    return {
      height: 300,
      legend: { show: false },
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [
        { stroke: axis, grid: { stroke: grid }, label: xLabel },
        { stroke: axis, grid: { stroke: grid }, label: yLabel, size: 50 },
      ],
      series: [
        {},
        { stroke: cssVar('--c-accent', '#3b82f6'), width: 2, points: { show: false } },
        ...(diagonal ? [{ stroke: axis, width: 1, dash: [4, 4], points: { show: false } }] : []),
      ],
    };
  }, [xLabel, yLabel, diagonal]);
  // uPlot needs ascending x: sort the points once (curves come threshold-ordered).
  const data = useMemo<uPlot.AlignedData>(() => {
    const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
    const xs = order.map((i) => x[i]);
    const ys = order.map((i) => y[i]);
    return diagonal ? [xs, ys, xs] : [xs, ys];
  }, [x, y, diagonal]);
  return <UPlotChart options={options} data={data} ariaLabel={ariaLabel} />;
}
