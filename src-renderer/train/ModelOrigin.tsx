// Where the model came from and where its files are: a model moves between PCs as its folder, or as one .zip.
import { useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useApi } from '../state/api-context';
import { formatNumber } from '../components/format';
import { isReady } from '../components/model-text';
import { ErrorNotice } from '../components/Notice';

export function ModelOrigin({ model }: { model: ModelSummary }) {
  const client = useApi();
  const web = client.mode === 'web';
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { imported, folder } = model;
  if (!imported && !folder) return null;
  const save = async () => {
    setError(null);
    setSaved(null);
    try {
      const r = await client.call('models.saveArchive', { modelId: model.id });
      if (!r.available) throw new Error(r.message);
      setSaved(r.path);
    } catch (e) {
      setError(e);
    }
  };
  // The model as one file, which mails and carries as one thing: a browser (maybe on another PC than the server's
  // folder) downloads it, the desktop app saves it through a dialog.
  const archive = !isReady(model.status) ? null : web ? (
    <>
      , or <a href={`/download/model/${model.id}.zip`} download>download it as one .zip</a> and import that
    </>
  ) : (
    <>
      , or <button className="link" onClick={save}>save it as one .zip…</button> and import that
    </>
  );
  return (
    <>
      <p className="muted small" data-testid="model-origin">
        {imported ? (
          <>
            Imported from <code>{imported.from}</code>: trained elsewhere on {formatNumber(model.datasetSize)} images, {formatNumber(imported.inProject)} of them in
            this project.{' '}
          </>
        ) : null}
        {folder ? (
          <>
            Its files: <code>{folder}</code>{web ? ' on the server' : ''} (to score with it on another PC, import that folder there{archive}).
            {saved ? <> Saved as <code>{saved}</code>.</> : null}
          </>
        ) : null}
      </p>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </>
  );
}
