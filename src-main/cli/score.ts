// `score <folder> --model <dir>`: one line per image with its raw and calibrated anomaly score.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../engine/backends/select';
import { readModelMeta } from '../engine/checkpoint';
import { runDbScore } from './db-score';
import { backendOption } from './engine-options';
import { collectImages, displayPath, printSkip } from './folder-images';
import { ProgressLine } from './progress-line';
import { scoreFiles } from './score-images';
import { differsAsAWhole, shiftedLotsWarning } from '../shared/capture-shift';

interface ScoreFlags {
  model?: string;
  db?: string;
  all?: boolean;
  json?: boolean;
  allKinds?: boolean;
  maps?: string;
  backend?: BackendName | 'auto';
}

export async function scoreFolder(folder: string, flags: ScoreFlags): Promise<void> {
  if (!flags.model) throw new Error('score <folder> needs --model <model-dir> (or --db <file> to score a library)');
  const modelDir = resolve(flags.model);
  const meta = await readModelMeta(modelDir);
  const log = new ProgressLine();
  log.log(`model ${flags.model}: score kind ${meta.scoreKind}`);
  // Maps written inside the folder are this command's output, not parts (a second run would score them).
  const images = await collectImages([resolve(folder)], printSkip, flags.maps ? [resolve(flags.maps)] : []);
  const results = await scoreFiles(modelDir, images.map((i) => i.path), {
    mapsDir: flags.maps ? resolve(flags.maps) : undefined,
    backend: flags.backend,
    kinds: flags.allKinds ? 'all' : 'model',
    onStart: (line) => log.log(line),
    onBatch: (done, total) => log.update(`scored ${done}/${total}`),
  });
  log.log(`scored ${results.length} image(s)`);
  // The folder as one lot: most of its parts differing as a whole is a capture to check (whole-image models).
  const limit = meta.shiftLimit;
  if (limit !== undefined) {
    const warning = shiftedLotsWarning([{ name: folder, shifted: results.filter((r) => differsAsAWhole(r.normalised?.median, limit)).length, parts: results.length }]);
    if (warning) log.log(`warning: ${warning}`);
  }
  images.forEach((img, i) => {
    const r = results[i];
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ path: img.path, label: img.label, kind: r.kind, raw: r.raw, calibrated: r.calibrated,
        percentile: r.percentile, scores: computed(r.all), shift: r.normalised?.median ?? null, maps: r.maps })}\n`);
    } else {
      process.stdout.write(`${displayPath(img)}\t${r.raw.toPrecision(6)}\t${r.calibrated.toFixed(3)}\n`);
    }
  });
}

/** The kinds this run computed (latent and feature are NaN unless asked for or the model's kind). */
const computed = (all: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(all).filter(([k, v]) => (k !== 'feature' && k !== 'latent') || !Number.isNaN(v)));

export function register(program: Command): void {
  program
    .command('score')
    .description('score every image under <folder>: path, raw score, calibrated score (robust z against validation); ' +
      'or with --db every image of the model\'s library project')
    .argument('[folder]', 'folder of images (folder mode)')
    .option('--model <dir|id>', 'a model directory written by train (folder mode) or a model id (library mode; default: the library\'s only model)')
    .option('--json', 'folder mode: one JSON object per line with every score kind computed')
    .option('--all-kinds', 'folder mode: also latent and feature when neither is the model\'s kind (E, and D twice: about twice the scoring time)')
    .option('--maps <dir>', 'folder mode: also write reconstruction and difference PNGs here')
    .option('--db <file>', 'library mode: the library database')
    .option('--all', 'library mode: score again images the model has already scored')
    .addOption(backendOption())
    .action((folder: string | undefined, flags: ScoreFlags) => {
      if (flags.db) {
        if (folder) throw new Error('score: give either a <folder> (folder mode) or --db <file> (library mode), not both');
        return runDbScore(flags);
      }
      if (!folder) throw new Error('score needs a <folder> of images (or --db <file> to score a library)');
      return scoreFolder(folder, flags);
    });
}
