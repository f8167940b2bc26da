// Whether the renderer build that the web mode serves is older than the sources beside it: in a checkout,
// `serve` after a pull would otherwise show yesterday's screens against today's API, without a word.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time (ms) of any file under `dir`, 0 when it does not exist. */
function newestUnder(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(path) : statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  }
  return newest;
}

/**
 * Which of `sources` (folders under `root`) changed after the build in `staticDir` was written; empty when
 * the build is current or there are no sources (an installed app).
 */
export function newerSources(staticDir: string, root: string, sources: readonly string[]): string[] {
  const built = statSync(join(staticDir, 'index.html'), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return [];
  return sources.filter((d) => newestUnder(join(root, d)) > built);
}
