// A model's folder carries the threshold saved for it last (threshold.json), so the folder brought to another PC
// (models.import) flags there as it does here. The library's thresholds table stays the record; this is its copy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { THRESHOLD_FILE, writeThreshold } from '../engine/model-dir';
import type { Store, Threshold } from '../store';

/** Writes the threshold into the model's folder. */
export function saveThresholdFile(dir: string, t: Threshold): Promise<void> {
  return writeThreshold(dir, { value: t.value, lower: t.lower, source: t.source, setAt: new Date(t.createdAt).toISOString() });
}

/**
 * For a library opened by a version that writes the file: every ready model whose folder lacks its current
 * threshold gets it, so a model whose threshold was saved before carries it too. Returns how many were written.
 */
export async function carryThresholds(store: Store): Promise<number> {
  let written = 0;
  for (const project of store.projects.list()) {
    for (const m of store.models.list(project.id)) {
      const t = m.status === 'ready' && m.weightsDir ? store.thresholds.current(m.id) : undefined;
      if (!t || !existsSync(m.weightsDir!) || existsSync(join(m.weightsDir!, THRESHOLD_FILE))) continue;
      await saveThresholdFile(m.weightsDir!, t);
      written++;
    }
  }
  return written;
}
