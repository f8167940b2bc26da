// Turns a drop into absolute paths. Electron's preload can resolve a dropped File to its real path;
// a browser cannot, and then the user is pointed at the path field instead.
export type PathResolver = ((file: File) => string | null | undefined) | null | undefined;

export type DropResult = { kind: 'paths'; paths: string[] } | { kind: 'no-paths'; names: string[] } | { kind: 'empty' };

export function pathsFromDrop(files: ArrayLike<File>, resolve: PathResolver): DropResult {
  const list = Array.from(files);
  if (list.length === 0) return { kind: 'empty' };
  const paths: string[] = [];
  if (resolve) {
    for (const f of list) {
      const p = resolve(f);
      if (p) paths.push(p);
    }
  }
  if (paths.length === 0) return { kind: 'no-paths', names: list.map((f) => f.name) };
  return { kind: 'paths', paths: [...new Set(paths)] };
}

/** Paths typed into the field: one per line or separated by ';' (commas are legal in folder names). */
export function parsePathField(text: string): string[] {
  return [...new Set(text.split(/[\n;]/).map((s) => s.trim()).filter(Boolean))];
}
