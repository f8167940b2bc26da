// The bench scripts' one command-line reader: the value after `--name`, or `fallback` when it is absent.
export function flagValue(name: string, fallback: string, argv: string[] = process.argv.slice(2)): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}
