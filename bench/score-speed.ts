// Folder scoring speed (what `score` and `eval` run): decode, score and (with --maps) write the
// reconstruction and full-resolution heat map of each image, on both cores (ScorePool, decoding
// pipelined) and on this thread alone, in one run. img/s "after start-up" counts from the first batch handed
// on after the workers are up (this thread scores until then); on one thread, after the first batch. The model is a quick 1-epoch one: speed does not depend on its weights.
// Run: npm run bench -- score-speed [--count 600] [--isize 32] [--nc 1|3] [--maps] [--kind ssim] [--all-kinds] [--folder <dir>] [--batch n: default scoreFiles' own]
// (--kind: the model's own score kind, default ssim, what the defaults chose on ELPV and the tire set; scoring
// computes latent only for a latent model and feature only for a feature one, unless --all-kinds (eval --all-kinds).
// --all-kinds: every kind, as eval --all-kinds and the quality bench compute.
// --resize <side>: score copies of the images resized to side x side PNGs, written before timing, e.g.
// --resize 28 for small images, or --folder ../shared/data/mvtec3d-tire --resize 900 --nc 3 --maps.)
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src-main/engine/backends/select';
import { hashFileList, saveModel } from '../src-main/engine/checkpoint';
import * as scorePool from '../src-main/engine/parallel/score-pool';
import { disposeNets } from '../src-main/engine/train-step';
import { train } from '../src-main/engine/trainer';
import { loadBatch } from '../src-main/library/prepare';
import { scoreFiles } from '../src-main/cli/score-images';
import { scoreBatchSize } from '../src-main/jobs/tasks';
import { ELPV_DIR } from '../test/fixtures/elpv';
import type { ModelScoreKind } from '../src-main/shared/vocabulary';
import { flagValue as opt } from './flags';

const args = process.argv.slice(2);
const count = Number(opt('count', '600'));
const isize = Number(opt('isize', '32'));
const nc = Number(opt('nc', '1')) as 1 | 3;
const folder = opt('folder', ELPV_DIR);
const maps = args.includes('--maps');
const batchOption = opt('batch', '');
const batchSize = batchOption ? Number(batchOption) : scoreBatchSize(maps);
const kinds = args.includes('--all-kinds') ? 'all' : 'model';
const resize = Number(opt('resize', '0'));
const scoreKind = opt('kind', 'ssim') as ModelScoreKind;

async function images(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.(png|jpe?g|bmp|tiff?)$/i.test(e.name) && !/_mask\./.test(e.name) && !/ground_truth/.test(e.parentPath)) {
      out.push(join(e.parentPath, e.name));
    }
  }
  return out.sort();
}

async function main(): Promise<void> {
  const backend = await selectBackend('auto');
  const all = await images(folder);
  if (all.length < count) throw new Error(`${folder} has ${all.length} images, --count asks for ${count}`);
  const tmp = await mkdtemp(join(tmpdir(), 'score-speed-'));
  try {
    let paths = all.slice(0, count);
    if (resize > 0) {
      await mkdir(join(tmp, 'images'));
      const copies = paths.map((_, i) => join(tmp, 'images', `${String(i).padStart(5, '0')}.png`));
      for (let i = 0; i < paths.length; i++) {
        await sharp(paths[i]).resize(resize, resize, { fit: 'fill' }).toColourspace(nc === 1 ? 'b-w' : 'srgb').png().toFile(copies[i]);
      }
      paths = copies;
    }
    const trainPaths = paths.slice(0, 64);
    const data = await loadBatch(trainPaths, isize, nc);
    const per = isize * isize * nc;
    const r = await train({
      set: { count: 64, isize, nc, load: async (idx) => { const o = new Float32Array(idx.length * per); idx.forEach((i, j) => o.set(data.subarray(i * per, (i + 1) * per), j * per)); return o; } },
      options: { isize, nc, epochs: 1, batchSize: 16, seed: 0, scoreKind }, workers: 1,
    });
    disposeNets(r.nets);
    await saveModel(join(tmp, 'model'), { snapshot: r.snapshot, backend, trainingSetHash: hashFileList(trainPaths), trainingHashes: [] });
    console.log(`backend ${backend.name}; ${count} images from ${folder}${resize ? ` resized to ${resize}x${resize}` : ''}, isize ${isize}, nc ${nc}, batch ${batchSize}${maps ? ', with maps' : ''}; ` +
      `model's kind ${scoreKind}, kinds computed: ${kinds === 'all' ? 'all' : ['recon-top1', 'ssim', 'recon-z', 'baseline', ...(['latent', 'feature'].includes(scoreKind) ? [scoreKind] : [])].join(', ')}`);
    const realStart = scorePool.ScorePool.start;
    for (const mode of ['both cores', 'one thread', 'both cores', 'one thread']) {
      // One thread: the pool refuses to start, as it does where no worker can. Both cores: this thread scores
      // until the workers are up, so "after start-up" counts from the first batch handed on after that.
      let ready = Infinity;
      scorePool.ScorePool.start = mode === 'one thread' ? () => Promise.reject(new Error('off'))
        : (...a) => realStart(...a).then((pool) => { ready = performance.now(); return pool; });
      const marks: { t: number; done: number }[] = [];
      const t0 = performance.now();
      await scoreFiles(join(tmp, 'model'), paths, {
        backend: backend.name, batchSize, kinds, mapsDir: maps ? join(tmp, 'maps') : undefined, onBatch: (done) => { marks.push({ t: performance.now(), done }); },
      });
      const total = (performance.now() - t0) / 1000;
      const from = marks.find((m, i) => i > 0 && (mode === 'one thread' || marks[i - 1].t >= ready)) ?? marks[0];
      const last = marks[marks.length - 1];
      const steady = last.t > from.t ? `${((last.done - from.done) / ((last.t - from.t) / 1000)).toFixed(0)} img/s after start-up` : 'too few batches after start-up';
      const startup = mode === 'one thread' ? '' : ` (workers up after ${((ready - t0) / 1000).toFixed(1)} s)`;
      console.log(`${mode.padEnd(10)}: ${(count / total).toFixed(0)} img/s overall (${total.toFixed(1)} s), ${steady}${startup}`);
    }
    scorePool.ScorePool.start = realStart;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
