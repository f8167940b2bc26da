// PUT /upload/<sha256>: one file's bytes, streamed into the library's content-addressed upload store.
// The name is the content's hash, so a retry after a cut-off or a killed server sends only what the
// store does not hold yet, and a body that does not match its name is refused.
import type { IncomingMessage } from 'node:http';
import { ApiFailure } from '../api/dispatch';
import { UploadRefused } from '../services/uploads';
import type { UploadStore } from '../services/uploads';

export type UploadReceiver = Pick<UploadStore, 'receive'>;

export async function receiveUpload(
  upload: UploadReceiver | undefined,
  req: IncomingMessage,
  name: string,
): Promise<{ sha256: string; bytes: number; existed: boolean }> {
  if (!upload) throw new ApiFailure('not-available', 'This server does not take uploads');
  if (req.method !== 'PUT') throw new ApiFailure('bad-request', 'Use PUT to upload a file');
  const header = req.headers['content-length'];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && !Number.isSafeInteger(declared)) throw new ApiFailure('bad-request', 'Content-Length is not a number');
  try {
    return await upload.receive(name, req, declared);
  } catch (err) {
    if (err instanceof UploadRefused) throw new ApiFailure(err.status === 413 ? 'too-large' : 'bad-request', err.message);
    throw err;
  }
}
