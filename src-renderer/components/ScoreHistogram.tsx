// Score histogram with uPlot: good, defect and unlabelled stacked, with vertical markers (threshold,
// lower threshold, one image's score) redrawn without rebuilding the chart.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { UPlotChart, cssVar } from './UPlotChart';
import type { TruthHistogram as Histogram } from '../api/client';
import { digitsToTellApart } from './format';

export interface Marker {
  value: number;
  colour: string;
  label: string;
  dashed?: boolean;
}

export function ScoreHistogram({ hist, markers, height = 220, onPick, ariaLabel }: { hist: Histogram; markers: Marker[]; height?: number; onPick?: (value: number) => void; ariaLabel: string }) {
  const markerRef = useRef(markers);
  markerRef.current = markers;
  const chart = useRef<uPlot | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const hasTruth = hist.good.some((n) => n > 0) || hist.defect.some((n) => n > 0);
  // The x axis spans the bin edges, not just the bar centres, so the highest score stays in view.
  const edgesRef = useRef(hist.edges);
  edgesRef.current = hist.edges;

  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => {
    const axis = cssVar('--c-muted', '#888');
    const grid = cssVar('--c-grid', 'rgba(128,128,128,0.2)');
    const bars = uPlot.paths.bars!({ size: [0.92, Infinity], gap: 1 });
    const bar = (label: string, colour: string): uPlot.Series => ({ label, fill: colour, stroke: colour, paths: bars, points: { show: false } });
    return {
      height,
      legend: { show: hasTruth, live: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => {
            const e = edgesRef.current;
            return e.length > 1 ? [e[0], e[e.length - 1]] : [min, max];
          },
        },
      },
      axes: [
        {
          stroke: axis,
          grid: { show: false },
          label: 'score',
          // uPlot's own tick labels round a weak model's 1.0015 and 1.0020 to the same "1.002".
          values: (_u, splits) => {
            const d = digitsToTellApart(splits, 0);
            return splits.map((s) => s.toFixed(d));
          },
        },
        { stroke: axis, grid: { stroke: grid }, size: 50, label: 'images' },
      ],
      series: [
        { label: 'score' },
        bar(hasTruth ? 'unlabelled or trained on' : 'images', hasTruth ? cssVar('--c-unknown', '#9ca3af') : cssVar('--c-accent', '#3b82f6')),
        bar('good', cssVar('--c-good', '#22a06b')),
        bar('defect', cssVar('--c-defect', '#d9534f')),
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            for (const m of markerRef.current) {
              if (!Number.isFinite(m.value)) continue;
              const x = Math.round(u.valToPos(m.value, 'x', true));
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.strokeStyle = m.colour;
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash(m.dashed ? [6 * devicePixelRatio, 4 * devicePixelRatio] : []);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillStyle = m.colour;
              ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
              // Labels near the right edge go to the left of their line so they stay readable.
              const right = x > u.bbox.left + u.bbox.width * 0.8;
              ctx.textAlign = right ? 'right' : 'left';
              ctx.fillText(m.label, x + (right ? -4 : 4) * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
            }
            ctx.restore();
          },
        ],
      },
    };
  }, [height, hasTruth]);

  // Stacked: each later series is drawn over the earlier, so series hold cumulative counts.
  const data = useMemo<uPlot.AlignedData>(() => {
    const centres = hist.good.map((_, i) => (hist.edges[i] + hist.edges[i + 1]) / 2);
    const defect = hist.defect;
    const goodUp = hist.good.map((g, i) => g + defect[i]);
    const all = hist.unknown.map((u, i) => u + goodUp[i]);
    return [centres, all, goodUp, defect];
  }, [hist]);

  useEffect(() => {
    chart.current?.redraw(false, false);
  }, [markers]);

  return (
    <UPlotChart
      options={options}
      data={data}
      ariaLabel={ariaLabel}
      onReady={(u) => {
        chart.current = u;
        u.over.addEventListener('click', (e) => {
          const f = pickRef.current;
          if (!f) return;
          const rect = u.over.getBoundingClientRect();
          f(u.posToVal(e.clientX - rect.left, 'x'));
        });
      }}
    />
  );
}

/** The server's histogram in the shape the chart draws. */
export function fromServerHistogram(h: { bins: Array<{ from: number; to: number; good: number; defect: number; unlabeled: number }> }): Histogram {
  const edges = h.bins.length ? [h.bins[0].from, ...h.bins.map((b) => b.to)] : [0, 1];
  return { edges, good: h.bins.map((b) => b.good), defect: h.bins.map((b) => b.defect), unknown: h.bins.map((b) => b.unlabeled) };
}
