// Every problem with an input image becomes one ImageError with a kind the UI and the store can act on.
export type ImageErrorKind =
  | 'empty'
  | 'corrupt'
  | 'not-an-image'
  | 'unsupported-format'
  | 'too-large'
  | 'unreadable'
  | 'symlink-loop'
  | 'not-found';

export class ImageError extends Error {
  readonly kind: ImageErrorKind;
  readonly path: string;

  constructor(kind: ImageErrorKind, path: string, detail: string, options?: { cause?: unknown }) {
    super(`${path}: ${detail}`, options);
    this.name = 'ImageError';
    this.kind = kind;
    this.path = path;
  }
}

export function isImageError(value: unknown): value is ImageError {
  return value instanceof ImageError;
}

/** Maps a Node fs error (ENOENT, EACCES, ELOOP…) to an ImageError; anything unexpected counts as unreadable. */
export function fromFsError(error: unknown, path: string): ImageError {
  if (error instanceof ImageError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ImageError('not-found', path, 'no such file or folder', { cause: error });
    case 'ELOOP':
      return new ImageError('symlink-loop', path, 'symbolic links form a loop', { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new ImageError('unreadable', path, 'permission denied', { cause: error });
    case 'EISDIR':
      return new ImageError('unreadable', path, 'is a folder, not a file', { cause: error });
    default:
      return new ImageError('unreadable', path, `cannot be read (${code ?? message})`, { cause: error });
  }
}
