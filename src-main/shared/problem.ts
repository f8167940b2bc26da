// How a file that could not be read is described beside its path: an image error's message starts with the
// path (so it reads alone in a log), which a line or table that already shows the path would say twice.
// One rule for the command line and the import summary. Pure: no imports.

/** The message without its leading "<path>: " (kept whole when it does not start so, e.g. older rows). */
export function problemDetail(path: string, message: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}
