// The project's folders with their image counts, and taking one out of the project (a folder imported by
// mistake: the wrong camera, a box of rejects named like good parts). The files on disk stay; a folder the
// browser uploaded is named as it was dropped, and the library's copies of it go with it.
import { useState } from 'react';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { ErrorNotice } from '../components/Notice';
import { formatNumber } from '../components/format';

interface Folder { folder: string; uploadedAs: string | null }

/** A folder on disk by its path; an uploaded one as the browser sent it (the server's path means nothing there). */
const nameOf = (f: Folder): string => (f.uploadedAs === null ? f.folder : `${f.uploadedAs || 'loose files'} (uploaded)`);

export function FoldersCard({ projectId }: { projectId: number }) {
  const client = useApi();
  const folders = useRequest('library.folders', { projectId });
  useReloadOn(projectId, ['images'], folders.reload);
  const [asking, setAsking] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const remove = async (f: Folder) => {
    const { folder } = f;
    setError(null);
    try {
      const r = await client.call('library.removeFolder', { projectId, folder });
      setRemoved(`Took ${formatNumber(r.removed)} image${r.removed === 1 ? '' : 's'} of ${nameOf(f)} out of the project.`);
    } catch (e) {
      setError(e);
    }
    setAsking(null);
  };
  const list = folders.data ?? [];
  if (!list.length) return null;
  return (
    <section className="card">
      <details>
        <summary>Folders ({formatNumber(list.length)})</summary>
        <ErrorNotice error={error ?? folders.error} onDismiss={() => setError(null)} />
        {removed ? <p className="notice info" role="status">{removed}</p> : null}
        <table className="grid-table" aria-label="Folders">
          <tbody>
            {list.map((f) => (
              <tr key={f.folder}>
                <td className="ellipsis" title={nameOf(f)}>{nameOf(f)}</td>
                <td className="num">{formatNumber(f.count)}</td>
                <td>
                  {asking === f.folder ? (
                    <span role="alertdialog" aria-label={`Remove ${nameOf(f)}`}>
                      Take its {formatNumber(f.count)} image{f.count === 1 ? '' : 's'} out of the project, with their scores?{' '}
                      {f.uploadedAs === null ? 'The files stay on disk.' : 'The library\u2019s uploaded copies go too; the originals you uploaded stay where they are.'}{' '}
                      Their reviews stay in the project&rsquo;s review history.{' '}
                      <button className="danger" onClick={() => void remove(f)}>Remove</button>{' '}
                      <button onClick={() => setAsking(null)}>Keep</button>
                    </span>
                  ) : (
                    <button className="ghost" onClick={() => setAsking(f.folder)}>Remove…</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
