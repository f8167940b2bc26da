// The project picker: choose, create, rename or delete a project. Names and the deletion's confirmation are
// asked inline: Electron has no window.prompt() or confirm().
import { useState } from 'react';
import { useApi } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { formatNumber } from '../components/format';

type Asking = { kind: 'new' | 'rename'; text: string } | { kind: 'delete' } | null;

export function ProjectPicker() {
  const ws = useWorkspace();
  const client = useApi();
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState<Asking>(null);
  if (ws.projects.length === 0) return <span className="muted">Opening library…</span>;
  const current = ws.projects.find((p) => p.id === ws.projectId);
  const done = () => {
    setAsking(null);
    setError(null);
  };
  const cancel = <button type="button" className="ghost" onClick={done}>Cancel</button>;
  if (asking?.kind === 'delete' && current) {
    const remove = () => client.call('projects.delete', { projectId: current.id }).then(done, setError);
    return (
      <div className="picker" role="alertdialog" aria-label="Delete project">
        <span>
          Delete {current.name} with its {formatNumber(current.imageCount)} images and models? Image files stay, and its reviews stay in the library’s review history (on the Library screen, beside the backup).
        </span>
        <button type="button" className="danger" onClick={() => void remove()}>Delete</button>
        {cancel}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
      </div>
    );
  }
  if (asking && asking.kind !== 'delete') {
    const name = asking.text.trim();
    const rename = asking.kind === 'rename';
    const save = () => (rename && current
      ? client.call('projects.rename', { projectId: current.id, name }).then(() => undefined)
      : ws.createProject(name));
    return (
      <form
        className="picker"
        onSubmit={(e) => {
          e.preventDefault();
          if (name) save().then(done, setError);
        }}
      >
        <input autoFocus value={asking.text} onChange={(e) => setAsking({ ...asking, text: e.target.value })}
          placeholder={rename ? 'New name of this project' : 'Name of the new project'} aria-label={rename ? 'Project name' : 'New project name'} />
        <button type="submit" className="primary" disabled={!name}>{rename ? 'Rename' : 'Create'}</button>
        {cancel}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
      </form>
    );
  }
  return (
    <label className="picker">
      <span className="muted">Project</span>
      <select
        value={ws.projectId ?? ''}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '__new') setAsking({ kind: 'new', text: '' });
          else if (v === '__rename') setAsking({ kind: 'rename', text: current?.name ?? '' });
          else if (v === '__delete') setAsking({ kind: 'delete' });
          else ws.setProjectId(Number(v));
        }}
      >
        {ws.projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.imageCount.toLocaleString('en-US')} images)
          </option>
        ))}
        <option value="__new">New project…</option>
        {current ? <option value="__rename">Rename {current.name}…</option> : null}
        {current ? <option value="__delete">Delete {current.name}…</option> : null}
      </select>
    </label>
  );
}
