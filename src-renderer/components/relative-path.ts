// Where a chosen or dropped file sat in what was chosen: a folder picker (webkitdirectory) gives "folder/sub/name",
// a file picker only the name.
export const relativePathOf = (f: File): string => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
