// A ready model's folder as one .zip: the web mode's GET /download/model/<id>.zip (a browser can carry a file to
// another PC, never a folder on the server's disk) and the desktop's save dialog.
import { packModel } from '../services/model-archive';
import { writeFileBeside } from '../write-beside';
import type { Store } from '../store';
import { need } from './context';
import { ApiFailure } from './dispatch';

export interface ModelDownload {
  bytes: Uint8Array;
  /** The model's name made safe as a file name on every system, with .zip: imported, the archive keeps that name. */
  filename: string;
}

export async function modelDownload(store: Store, modelId: number): Promise<ModelDownload> {
  const m = need(store.models.get(modelId), 'model', modelId);
  if (m.status !== 'ready' || !m.weightsDir) throw new ApiFailure('conflict', `Model "${m.name}" is not ready: it has no files to download yet`);
  // eslint-disable-next-line no-control-regex
  const safe = m.name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  return { bytes: await packModel(m.weightsDir), filename: `${safe || `model ${m.id}`}.zip` };
}

/**
 * The desktop's counterpart: the same archive written where the user picks in a save dialog. Packed before asking,
 * so a model that cannot be archived is refused without a dialog; written beside the chosen name (write-beside),
 * so a failed write leaves no half archive under it.
 */
export async function saveModelArchive(
  store: Store, modelId: number, savePath: (suggestedName: string, title: string) => Promise<string | null>,
): Promise<string | null> {
  const { bytes, filename } = await modelDownload(store, modelId);
  const path = await savePath(filename, `Save model "${store.models.get(modelId)!.name}" as one .zip`);
  if (!path) return null;
  try {
    await writeFileBeside(path, bytes);
  } catch (err) {
    throw new ApiFailure('conflict', `Could not save ${path}: ${(err as Error).message}`);
  }
  return path;
}
