import type { LossName } from '../api/client';
import { formatNumber } from '../components/format';

// Losses first, then the statistics of the model's own score kind; other kinds would crowd the table.
function columns(all: string[], scoreKind?: string): string[] {
  const first: string[] = ['errG', 'errGCon', 'errGAdv', 'errGEnc', 'errD'] satisfies LossName[];
  const own = scoreKind ? all.filter((k) => k.startsWith(`${scoreKind}.`)) : [];
  const rest = all.filter((k) => !first.includes(k) && !k.includes('.'));
  return [...first.filter((k) => all.includes(k)), ...own, ...rest].slice(0, 9);
}

export function ValidationTable({ rows, kept, scoreKind }: { rows: Array<{ epoch: number; figures: Record<string, number> }>; kept?: number | null; scoreKind?: string }) {
  const keys = columns([...new Set(rows.flatMap((r) => Object.keys(r.figures)))], scoreKind);
  return (
    <table className="list-table compact" aria-label="Validation per epoch">
      <thead>
        <tr>
          <th className="num">Epoch</th>
          {keys.map((k) => <th key={k} className="num">{k}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.epoch} className={r.epoch === kept ? 'selected' : undefined}>
            <td className="num">{r.epoch}{r.epoch === kept ? ' ★' : ''}</td>
            {keys.map((k) => <td key={k} className="num">{formatNumber(r.figures[k], 4)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
