// Browser uploads: the limits, placing uploaded content at its relative paths, and importing it
// through the same import job as a typed folder path. The bytes themselves arrive over PUT
// /upload/<sha256> (server/upload-request.ts), outside the JSON contract.
import { existsSync } from 'node:fs';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { IMAGE_EXTENSIONS } from '../../library/walk';
import { UPLOAD_LIMITS, UploadRefused } from '../../services/uploads';

type UploadHandlers = Pick<Handlers, 'upload.limits' | 'upload.place' | 'upload.import'>;

export function uploadHandlers(ctx: ApiContext): UploadHandlers {
  const { store, uploads } = ctx;
  return {
    'upload.limits': () => ({
      maxFileBytes: uploads.maxFileBytes,
      maxFilesPerRequest: UPLOAD_LIMITS.maxFilesPerRequest,
      imageExtensions: [...IMAGE_EXTENSIONS],
    }),
    'upload.place': ({ projectId, files }) => {
      need(store.projects.get(projectId), 'project', projectId);
      return uploads.place(projectId, files);
    },
    'upload.import': ({ projectId, roots }) => {
      need(store.projects.get(projectId), 'project', projectId);
      const paths = roots.map((name) => {
        let path: string;
        try {
          path = uploads.rootPath(projectId, name);
        } catch (err) {
          if (err instanceof UploadRefused) throw new ApiFailure('bad-request', err.message);
          throw err;
        }
        if (!existsSync(path)) throw new ApiFailure('not-found', `Nothing named "${name}" has been uploaded to this project`);
        return path;
      });
      // Labels from the whole relative path, the dropped folder's own name included ("good", "train").
      return ctx.jobs.startImport(projectId, paths, { labelBase: uploads.treeDir(projectId) });
    },
  };
}
