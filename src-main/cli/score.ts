// `score <folder> --model <dir>`: one line per image with its raw and calibrated anomaly score.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { selectBackend, type BackendName } from '../engine/backends/select';
import { loadModel } from '../engine/checkpoint';
import { backendOption } from './engine-options';
import { collectImages, displayPath, printSkip } from './folder-images';
import { ProgressLine } from './progress-line';
import { scoreFiles } from './score-images';

interface ScoreFlags {
  model?: string;
  json?: boolean;
  maps?: string;
  backend?: BackendName | 'auto';
}

export async function scoreFolder(folder: string, flags: ScoreFlags): Promise<void> {
  if (!flags.model) throw new Error('score <folder> needs --model <model-dir> (or --db <file> to score a library)');
  const backend = await selectBackend(flags.backend ?? 'auto');
  const model = await loadModel(resolve(flags.model));
  try {
    const log = new ProgressLine();
    log.log(`backend: ${backend.name}${backend.gpu ? ' (GPU)' : ''}; model ${flags.model}: score kind ${model.meta.options.scoreKind}`);
    const images = await collectImages([resolve(folder)], printSkip);
    const results = await scoreFiles(model, images.map((i) => i.path), {
      mapsDir: flags.maps ? resolve(flags.maps) : undefined,
      onBatch: (done, total) => log.update(`scored ${done}/${total}`),
    });
    log.log(`scored ${results.length} image(s)`);
    images.forEach((img, i) => {
      const r = results[i];
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ path: img.path, label: img.label, kind: r.kind, raw: r.raw, calibrated: r.calibrated,
          percentile: r.percentile, scores: r.all, maps: r.maps })}\n`);
      } else {
        process.stdout.write(`${displayPath(img)}\t${r.raw.toPrecision(6)}\t${r.calibrated.toFixed(3)}\n`);
      }
    });
  } finally {
    model.dispose();
  }
}

export function register(program: Command): void {
  program
    .command('score')
    .description('score every image under <folder>: path, raw score, calibrated score (robust z against validation)')
    .argument('<folder>', 'folder of images')
    .option('--model <dir>', 'a model directory written by train')
    .option('--json', 'one JSON object per line with every score kind')
    .option('--maps <dir>', 'also write reconstruction and difference PNGs here')
    .addOption(backendOption())
    .action((folder: string, flags: ScoreFlags) => scoreFolder(folder, flags));
}
