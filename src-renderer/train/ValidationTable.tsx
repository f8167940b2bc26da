import { formatNumber } from '../components/format';

export function ValidationTable({ rows, kept }: { rows: Array<{ epoch: number; figures: Record<string, number> }>; kept?: number | null }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.figures)))].slice(0, 8);
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
