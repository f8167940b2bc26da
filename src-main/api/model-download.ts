// A ready model's folder as one .zip for the web mode's GET /download/model/<id>.zip: a browser can carry a file to
// another PC, never a folder on the server's disk.
import { packModel } from '../services/model-archive';
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
