// A model's folder (or its .zip) sent from a browser to the web mode's server, whose disk the path field reads: each file's
// content over PUT /upload/<sha256> (every file: a model folder is a few files), then the import by name.
import type { ModelSummary, UploadingClient } from '../api/client';
import { relativePathOf } from '../components/relative-path';
import { sha256Of } from '../components/sha256';

/** The chosen folder's own files (webkitRelativePath "folder/name"): a model folder has no subfolders to send. */
export function modelFolderFiles(files: Iterable<File>): { folder: string; files: File[] } {
  const own: File[] = [];
  let folder = '';
  for (const f of files) {
    const parts = relativePathOf(f).split('/');
    if (parts.length !== 2 || parts[1].startsWith('.')) continue;
    folder = parts[0];
    own.push(f);
  }
  if (!own.some((f) => f.name === 'model.json')) {
    throw new Error('That folder holds no model.json: choose the model\u2019s own folder, the one that holds model.json.');
  }
  return { folder, files: own };
}

/** Sends a chosen model folder's own files, or one .zip of them (a model downloaded from a library), and imports that. */
export async function uploadModel(client: UploadingClient, projectId: number, chosen: Iterable<File>): Promise<ModelSummary> {
  const upload = client.upload;
  if (!upload) throw new Error('This window cannot upload files: type the folder\u2019s path on the server.');
  const all = [...chosen];
  const zip = all.length === 1 && /\.zip$/i.test(all[0].name) ? all[0] : null;
  const { folder, files } = zip ? { folder: zip.name, files: [zip] } : modelFolderFiles(all);
  const sent = [];
  for (const file of files) {
    const sha256 = await sha256Of(file);
    await upload(sha256, file);
    sent.push({ name: file.name, sha256, bytes: file.size });
  }
  return client.call('models.importUpload', { projectId, folder, files: sent });
}
