// GANomaly on the real ELPV solar cells: trains on train/good (the trainer holds out its own validation
// split), scores test/good vs test/defective, prints per-epoch losses, speed and AUROC of every score kind.
// Run: nice -n 10 npx tsx bench/engine-elpv.ts [isize=32] [epochs=15] [ngf=ndf=64] [batch=64] [seed=0] [workers=auto]
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '../src-main/engine/backends/select';
import { auroc, averagePrecision } from '../src-main/engine/metrics';
import { SCORE_KINDS } from '../src-main/engine/options';
import { scoreBatch } from '../src-main/engine/scoring';
import { disposeNets } from '../src-main/engine/train-step';
import type { ImageSet } from '../src-main/engine/image-set';
import { train } from '../src-main/engine/trainer';
import { loadBatch } from '../src-main/library/prepare';
import { ELPV_DIR } from '../test/fixtures/elpv';

const root = ELPV_DIR;
const [isize, epochs, nf, batchSize, seed] = [32, 15, 64, 64, 0].map((d, i) => Number(process.argv[2 + i] ?? d));
const workers = process.argv[7] && process.argv[7] !== 'auto' ? Number(process.argv[7]) : 'auto';

async function folder(sub: string): Promise<{ images: Float32Array; count: number }> {
  const dir = join(root, sub);
  const paths = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort().map((f) => join(dir, f));
  return { images: await loadBatch(paths, isize, 1), count: paths.length };
}

async function main(): Promise<void> {
  const backend = await selectBackend('auto');
  const [tr, good, bad] = await Promise.all([folder('train/good'), folder('test/good'), folder('test/defective')]);
  const per = isize * isize;
  const set: ImageSet = {
    count: tr.count, nc: 1, isize,
    load: async (idx) => {
      const out = new Float32Array(idx.length * per);
      idx.forEach((i, j) => out.set(tr.images.subarray(i * per, (i + 1) * per), j * per));
      return out;
    },
  };
  console.log(`backend ${backend.name} (${backend.detail}); train ${tr.count}, test ${good.count} good / ${bad.count} defective; ` +
    `isize ${isize}, epochs ${epochs}, ngf=ndf ${nf}, batch ${batchSize}, seed ${seed}`);
  const t0 = performance.now();
  const r = await train({
    set, options: { isize, epochs, ngf: nf, ndf: nf, batchSize, seed }, workers,
    onProgress: (p) => { if (p.phase === 'planning') console.log(`plan: ${p.message}`); },
    onEpoch: (s) => {
      const h = s.history[s.history.length - 1];
      console.log(`epoch ${h.epoch}: train errG ${h.train.errG.toFixed(3)} errD ${h.train.errD.toFixed(3)} | val errGCon ` +
        `${h.validation.errGCon.toFixed(4)} errGEnc ${h.validation.errGEnc.toFixed(4)} | ${h.imagesPerSecond.toFixed(1)} img/s, ${h.seconds.toFixed(0)} s`);
    },
  });
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s, kept epoch ${r.snapshot.bestEpoch}`);
  const model = { netG: r.nets.netG, netD: r.nets.netD, isize, nc: 1 as const, meanImage: r.snapshot.meanImage, errorStats: r.snapshot.errorStats };
  const score = async (d: { images: Float32Array; count: number }) => (await scoreBatch(model, d.images, d.count)).raw;
  const [sg, sb] = [await score(good), await score(bad)];
  const labels = [...new Array(good.count).fill(0), ...new Array(bad.count).fill(1)];
  for (const k of SCORE_KINDS) {
    const s = [...sg[k], ...sb[k]];
    console.log(`${k.padEnd(10)} AUROC ${auroc(s, labels).toFixed(3)}  AP ${averagePrecision(s, labels).toFixed(3)}`);
  }
  disposeNets(r.nets);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
