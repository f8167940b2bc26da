// `train <folder> --out <dir>`: trains GANomaly on the good images of a folder and saves the model.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { describeBackend, selectBackend } from '../engine/backends/select';
import { hashFileList, loadCheckpoint, saveCheckpoint, saveModel } from '../engine/checkpoint';
import { disposeNets } from '../engine/train-step';
import { train, trainingPlan, type TrainProgress, type TrainingSnapshot } from '../engine/trainer';
import { parseOptions } from '../engine/options';
import { syntheticLine } from '../engine/synthetic-check';
import { trainingFolder } from '../library/layout';
import { cachedImageSet } from '../services/image-set';
import { addEngineOptions, engineOptionsFrom, type EngineFlags } from './engine-options';
import { runDbTrain, type DbTrainFlags } from './db-train';
import { collectImages, printSkip, type FolderImage } from './folder-images';
import { pickTrainingImages } from '../jobs/training-set';
import { formatNumber, formatSeconds } from '../jobs/progress-text';
import { ProgressLine } from './progress-line';

interface TrainFlags extends EngineFlags, DbTrainFlags {
  out?: string;
  resume?: boolean;
}

/** The folder's training images, by the library's rule (jobs/training-set.ts). */
export function trainingImages(images: FolderImage[]): FolderImage[] {
  return pickTrainingImages(images).images;
}

function describe(p: TrainProgress): string {
  const l = p.losses;
  const losses = l ? ` errD ${formatNumber(l.errD, 3)} errG ${formatNumber(l.errG, 4)} (adv ${formatNumber(l.errGAdv, 3)} con ${formatNumber(l.errGCon, 3)} enc ${formatNumber(l.errGEnc, 3)})` : '';
  return `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}${losses} ${p.imagesPerSecond.toFixed(1)} img/s ETA ${formatSeconds(p.etaSeconds)}`;
}

export async function trainFolder(folder: string, flags: TrainFlags): Promise<void> {
  if (!flags.out) throw new Error('train <folder> needs --out <model-dir> (or --db <file> to train a library project)');
  const out = resolve(flags.out);
  const root = trainingFolder(resolve(folder));
  const log = new ProgressLine();
  const images = trainingImages(await collectImages([root], printSkip));
  if (images.length < 3) throw new Error(`${root}: ${images.length} usable good image(s); training needs at least 3`);
  const nc: 1 | 3 = images.every((i) => i.channels === 1) ? 1 : 3;
  const paths = images.map((i) => i.path);
  const given = engineOptionsFrom(flags);
  const options = parseOptions({ ...given, nc });
  const backend = await selectBackend(flags.backend ?? 'auto');
  log.log(describeBackend(backend));
  log.log(`training on ${images.length} images from ${root} (${nc === 1 ? 'gray' : 'RGB'}, isize ${options.isize})`);

  const checkpointDir = join(out, 'checkpoint');
  let resume: TrainingSnapshot | undefined;
  if (flags.resume) {
    const found = await access(join(checkpointDir, 'checkpoint.json')).then(() => true, () => false);
    if (!found) throw new Error(`--resume: no checkpoint in ${checkpointDir}`);
    resume = await loadCheckpoint(checkpointDir);
    log.log(`resuming after epoch ${resume.epoch} of ${trainingPlan({ ...resume.options, epochs: (flags.epochs as number | undefined) ?? resume.options.epochs }, resume.split.train.length).epochs}`);
  }

  let stopRequested = false;
  const onSigint = () => {
    stopRequested = true;
    log.log('stopping after this batch (the last finished epoch is kept in the checkpoint)');
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await train({
      set: cachedImageSet(paths, options.isize, nc),
      options: resume ? { epochs: given.epochs ?? resume.options.epochs } : options,
      resume,
      workers: flags.workers ?? 'auto',
      shouldStop: () => stopRequested,
      // The plan's lines (memory, threads, then steps and ETA timed on the first steps) before any epoch ends.
      onProgress: (p) => (p.phase === 'planning' ? p.message && log.log(p.message) : log.update(describe(p))),
      onEpoch: async (s) => {
        await saveCheckpoint(checkpointDir, s);
        const e = s.history[s.history.length - 1];
        log.log(`epoch ${e.epoch}: train errG ${formatNumber(e.train.errG)} errD ${formatNumber(e.train.errD)}, validation errGCon ${formatNumber(e.validation.errGCon)}, ` +
          `${e.seconds.toFixed(1)} s (${e.imagesPerSecond.toFixed(1)} img/s)${s.bestEpoch === e.epoch ? ' [kept]' : ''}`);
      },
    });
    disposeNets(result.nets);
    if (result.stopped && !result.snapshot.best) throw new Error('stopped before the first epoch finished: nothing to save');
    const meta = await saveModel(out, { snapshot: result.snapshot, backend, trainingSetHash: hashFileList(paths), trainingHashes: images.map((i) => i.hash) });
    log.log(`${result.stopped ? 'stopped; ' : ''}model saved to ${out} (epoch ${meta.epochKept} of ${meta.epochsTrained} kept, ` +
      `score kind ${meta.scoreKind}${meta.options.scoreKind === 'auto' ? ', chosen on synthetic defects' : ''})`);
    if (meta.synthetic) log.log(syntheticLine(meta.synthetic, meta.scoreKind));
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function register(program: Command): void {
  addEngineOptions(
    program
      .command('train')
      .description('train GANomaly on the good images under <folder> (or <folder>/train/good in the MVTec layout), ' +
        'or with --db on a library project\'s good images')
      .argument('[folder]', 'folder of images (folder mode)')
      .option('--out <dir>', 'folder mode: where to save the model')
      .option('--resume', 'folder mode: continue from the checkpoint in --out')
      .option('--db <file>', 'library mode: the library database')
      .option('--project <name>', 'library mode: the project to train on (default: the only one)')
      .option('--name <name>', 'library mode: a name for the model'),
  ).action((folder: string | undefined, flags: TrainFlags) => {
    if (flags.db) {
      if (folder) throw new Error('train: give either a <folder> (folder mode) or --db <file> (library mode), not both');
      return runDbTrain(flags);
    }
    if (!folder) throw new Error('train needs a <folder> of good images (or --db <file> to train a library project)');
    return trainFolder(folder, flags);
  });
}
