// The model every result screen shows; chosen here or on the Train screen.
import { useWorkspace } from '../state/workspace';

export function ModelPicker() {
  const ws = useWorkspace();
  if (ws.models.length === 0) return <span className="muted">No model yet</span>;
  return (
    <label className="picker">
      <span className="muted">Model</span>
      <select value={ws.model?.id ?? ''} onChange={(e) => ws.setModelId(Number(e.target.value))} aria-label="Model">
        {ws.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} · {m.status}
            {m.scoredCount ? ` · ${m.scoredCount.toLocaleString('en-US')} scored` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
