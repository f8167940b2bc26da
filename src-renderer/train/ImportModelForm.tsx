// Bring in a model trained elsewhere: an engineering PC trains (a GPU, the whole history of parts), the line's PC
// scores with the same model. A typed path is read on the machine the app or server runs on; in a browser the
// folder can also be sent from the browser's machine.
import { useRef, useState, type ChangeEvent } from 'react';
import type { ModelSummary } from '../api/client';
import { useApi } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { uploadModel } from './upload-model';

export function ImportModelForm({ projectId }: { projectId: number }) {
  const client = useApi();
  const ws = useWorkspace();
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const zipInput = useRef<HTMLInputElement | null>(null);

  const bring = async (imported: () => Promise<ModelSummary>) => {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const m = await imported();
      setDone(`Imported ${m.name}: ${m.imported?.inProject ? `${m.imported.inProject} of this project's images are ones it trained on (marked trained on)` : 'none of this project\u2019s images are ones it trained on'}. Score the images with it below.`);
      setFolder('');
      ws.setModelId(m.id);
      ws.reloadModels();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const pick = async () => {
    setError(null);
    try {
      const r = await client.call('dialog.pickPaths', { kind: 'folders', title: 'The model\u2019s folder (with model.json)' });
      if (!r.available) setError(r.message ?? 'No folder dialog here: type the path in the field.');
      else if (r.paths[0]) await bring(() => client.call('models.import', { projectId, folder: r.paths[0] }));
    } catch (e) {
      setError(e);
    }
  };

  // The folder's files or the .zip, from either chooser.
  const uploadChosen = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.currentTarget.files ?? []);
    e.currentTarget.value = ''; // choosing the same folder or file again must fire again
    if (files.length) void bring(() => uploadModel(client, projectId, files));
  };

  return (
    <details className="import-model">
      <summary>Import a model trained elsewhere…</summary>
      <p className="muted small">
        The folder of a model from another PC (a model&rsquo;s folder in another library, shown on its panel, or <code>train --out</code>&rsquo;s), or its .zip.{' '}
        {client.mode === 'web' ? 'A typed path is read on the server; Upload folder\u2026 and Upload .zip\u2026 send one from this computer. ' : ''}
        It is copied into this library and scores this project&rsquo;s images as it would there, at the threshold saved for it there last (if any).
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim()) void bring(() => client.call('models.import', { projectId, folder: folder.trim() }));
        }}
      >
        <label className="grow">
          <span className="sr-only">Model folder</span>
          <input type="text" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/path/to/model  (the folder with model.json, or its .zip)" aria-label="Model folder" spellCheck={false} />
        </label>
        <button type="submit" disabled={busy || !folder.trim()}>Import model</button>
        {client.mode === 'electron' ? <button type="button" onClick={pick} disabled={busy}>Choose folder…</button> : null}
        {client.mode === 'web' && client.upload ? (
          <>
            <button type="button" onClick={() => folderInput.current?.click()} disabled={busy} title="Send the model's folder from this browser's computer">
              Upload folder…
            </button>
            <input
              type="file"
              multiple
              hidden
              aria-label="Upload a model&rsquo;s folder"
              // React has no prop for it: the attribute makes the chooser pick a whole folder.
              ref={(el) => {
                folderInput.current = el;
                el?.setAttribute('webkitdirectory', '');
              }}
              onChange={uploadChosen}
            />
            <button type="button" onClick={() => zipInput.current?.click()} disabled={busy} title="Send a model's .zip (as a library's panel downloads it) from this browser's computer">
              Upload .zip…
            </button>
            <input
              type="file"
              accept=".zip,application/zip"
              hidden
              aria-label="Upload a model&rsquo;s .zip"
              ref={zipInput}
              onChange={uploadChosen}
            />
          </>
        ) : null}
      </form>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {done ? <p className="notice" role="status">{done}</p> : null}
    </details>
  );
}
