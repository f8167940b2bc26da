// A model's new name (one from another PC comes in as "model 3 (imported)"; the line knows it by its part).
import { useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useApi } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';

export function RenameModelForm({ model, onClose }: { model: ModelSummary; onClose: () => void }) {
  const client = useApi();
  const ws = useWorkspace();
  const [name, setName] = useState(model.name);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setError(null);
    try {
      await client.call('models.rename', { modelId: model.id, name: name.trim() });
      ws.reloadModels();
      onClose();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} aria-label="Model name" autoFocus />
        <button type="submit" className="primary" disabled={!name.trim() || name.trim() === model.name}>Rename</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </form>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </>
  );
}
