// Every model of the project with what it was trained on, how, and how well it validated.
import type { ModelSummary } from '../api/client';
import { formatDate, formatDuration, formatNumber } from '../components/format';
import { cropText, optionsLine } from '../components/model-text';
import { syntheticLine } from './synthetic-line';

function validationLine(v: Record<string, unknown> | null, scoreKind: string): string {
  if (!v) return '—';
  // The engine saves calibration per score kind: say how many images were held out and their typical score.
  const cal = (v.calibration as Record<string, { count?: number; median?: number }> | undefined)?.[scoreKind];
  if (cal && typeof cal.median === 'number') return `${formatNumber(cal.count ?? null)} held out · median score ${formatNumber(cal.median, 4)}`;
  const entries = Object.entries(v).filter(([, x]) => typeof x === 'number') as Array<[string, number]>;
  return entries.slice(0, 3).map(([k, x]) => `${k} ${formatNumber(x)}`).join(' · ') || '—';
}

export function ModelsTable({ models, selectedId, onSelect }: { models: ModelSummary[]; selectedId: number | null; onSelect: (id: number) => void }) {
  return (
    <table className="list-table selectable" aria-label="Models">
      <thead>
        <tr>
          <th>Model</th><th>Status</th><th>Options</th><th className="num">Images</th>
          <th title="The backend it trained with: where it trained, not what scores with it here (the Train screen says that)">Trained with</th>
          <th className="num">Time</th><th className="num">Kept epoch</th><th>Validation</th>
          <th title="AUROC on the held-out good images vs the same images with synthetic defects pasted in">Synthetic defects</th>
          <th className="num">Scored</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr
            key={m.id}
            className={m.id === selectedId ? 'selected' : undefined}
            onClick={() => onSelect(m.id)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect(m.id))}
            tabIndex={0}
            aria-selected={m.id === selectedId}
          >
            <td>
              <div className="strong">{m.name}</div>
              <div className="muted small">{formatDate(m.createdAt)}</div>
            </td>
            <td><span className={`badge status-${m.status}`}>{m.status}</span></td>
            <td className="small">{optionsLine(m.options)} · {m.scoreKind} · {m.status === 'ready' || m.patchScale != null ? cropText(m.patchScale, m.options.isize) : `crop ${m.options.crop ?? 'auto'}`}</td>
            <td className="num">{formatNumber(m.datasetSize)}</td>
            <td className="small">{m.backend ? `${m.backend.name}${m.backend.gpu ? ' (GPU)' : ' (CPU)'}${m.imported ? ', on another PC' : ''}` : '—'}</td>
            <td className="num">{formatDuration(m.trainingSeconds)}</td>
            <td className="num">{m.epochKept ?? '—'}</td>
            <td className="small">{validationLine(m.validation, m.scoreKind)}</td>
            <td className="small">{syntheticLine(m.validation, m.scoreKind)}</td>
            <td className="num">{formatNumber(m.scoredCount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
