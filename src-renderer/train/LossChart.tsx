// Loss curves (errD and the parts of errG) with uPlot; log scale because errGCon dwarfs the rest.
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart, cssVar } from '../components/UPlotChart';
import { LOSS_KEYS, type LossSeries } from './loss-series';

const COLOURS: Record<string, [string, string]> = {
  errD: ['--c-defect', '#d9534f'],
  errG: ['--c-accent', '#3b82f6'],
  errGAdv: ['--c-series3', '#a855f7'],
  errGCon: ['--c-series4', '#14b8a6'],
  errGEnc: ['--c-series5', '#f59e0b'],
};

export function LossChart({ series, height = 240 }: { series: LossSeries; height?: number }) {
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => {
    const axis = cssVar('--c-muted', '#888');
    const grid = cssVar('--c-grid', 'rgba(128,128,128,0.2)');
    return {
      height,
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        // Whole epochs only: a tick at epoch 2.5 names nothing (the live points between epochs still plot).
        { stroke: axis, grid: { stroke: grid }, label: 'epoch', incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000] },
        { stroke: axis, grid: { stroke: grid }, size: 60 },
      ],
      series: [
        { label: 'epoch', value: (_u, v) => (v == null ? '—' : v.toFixed(2)) },
        ...LOSS_KEYS.map((k) => ({ label: k, stroke: cssVar(COLOURS[k][0], COLOURS[k][1]), width: k === 'errG' ? 2 : 1.5, spanGaps: true, value: (_u: uPlot, v: number | null) => (v == null ? '—' : v.toPrecision(4)) })),
      ],
    };
  }, [height]);
  const data = useMemo<uPlot.AlignedData>(() => [series.x, ...LOSS_KEYS.map((k) => series.y[k])], [series]);
  return <UPlotChart options={options} data={data} ariaLabel="Training losses per epoch" />;
}
