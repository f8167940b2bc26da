// The engine's training options as command-line flags, shared by `train <folder>` and `train --db`.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { GanomalyOptions, GanomalyOptionsInput } from '../engine/options';
import type { BackendName } from '../engine/backends/select';

// InvalidArgumentError, not Error: commander then names the flag and the value in its message.
const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/** Adds the flags; defaults stay in the engine's schema so there is one source of truth. */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .option('--epochs <n>', 'training epochs (default 15)', int)
    .option('--isize <n>', 'image side the model sees, a multiple of 16 from 16 to 256 (default 32)', int)
    .option('--batch <n>', 'batch size (default 64)', int)
    .option('--nz <n>', 'latent size (default 100)', int)
    .option('--ngf <n>', 'generator width (default 64)', int)
    .option('--ndf <n>', 'discriminator width (default 64)', int)
    .option('--extra-layers <n>', 'extra 3x3 layers in each encoder (default 0)', int)
    .option('--lr <x>', 'Adam learning rate (default 2e-4)', num)
    .option('--beta1 <x>', 'Adam beta1 (default 0.5)', num)
    .option('--w-adv <x>', 'weight of the adversarial loss (default 1)', num)
    .option('--w-con <x>', 'weight of the reconstruction loss (default 50)', num)
    .option('--w-enc <x>', 'weight of the latent loss (default 1)', num)
    .option('--seed <n>', 'random seed (default 0)', int)
    .option('--validation <fraction>', 'share of training images held out for validation (default 0.1)', num)
    .addOption(new Option('--score-kind <kind>', 'score the model ranks by (default auto: the best on synthetic defects)')
      .choices(['auto', 'recon-top1', 'ssim', 'feature', 'latent']))
    .option('--workers <n|auto>', 'training threads, each a data-parallel replica (default auto: 2 on the CPU, 1 on a GPU)', workersArg)
    .addOption(backendOption());
}

function workersArg(v: string): number | 'auto' {
  if (v === 'auto') return v;
  const n = int(v);
  if (n < 1) throw new InvalidArgumentError('expected auto or a whole number of at least 1');
  return n;
}

export function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend (default: the best available)')
    .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
    .default('auto');
}

export interface EngineFlags {
  epochs?: number; isize?: number; batch?: number; nz?: number; ngf?: number; ndf?: number; extraLayers?: number;
  lr?: number; beta1?: number; wAdv?: number; wCon?: number; wEnc?: number; seed?: number; validation?: number;
  scoreKind?: GanomalyOptions['scoreKind']; backend?: BackendName | 'auto';
  /** Not a model option: how training runs, so it stays out of engineOptionsFrom. */
  workers?: number | 'auto';
}

/** Only the flags the user gave, so the engine fills the rest with its defaults. */
export function engineOptionsFrom(f: EngineFlags): GanomalyOptionsInput {
  const o: GanomalyOptionsInput = {
    epochs: f.epochs, isize: f.isize, batchSize: f.batch, nz: f.nz, ngf: f.ngf, ndf: f.ndf, extraLayers: f.extraLayers,
    lr: f.lr, beta1: f.beta1, wAdv: f.wAdv, wCon: f.wCon, wEnc: f.wEnc, seed: f.seed, validationFraction: f.validation,
    scoreKind: f.scoreKind,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as GanomalyOptionsInput;
}
