// The training form: which options it shows, their one-line explanations, and turning typed text
// into the options the contract accepts (with a message per bad field instead of a failed request).
export type FieldKind = 'int' | 'number' | 'choice';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  min?: number;
  max?: number;
  multipleOf?: number;
  choices?: string[];
  advanced?: boolean;
  help: string;
}

// Ranges mirror the contract's zod schema so the user sees the problem before sending.
export const TRAIN_FIELDS: FieldSpec[] = [
  { key: 'isize', label: 'Image size', kind: 'int', min: 16, max: 256, multipleOf: 16, help: 'Images are resized to this square size (px). Larger sees finer defects but trains much slower.' },
  { key: 'epochs', label: 'Epochs', kind: 'int', min: 1, max: 10000, help: 'Passes over the good images. The epoch with the lowest validation loss is kept.' },
  { key: 'batchSize', label: 'Batch size', kind: 'int', min: 1, max: 1024, help: 'Images per training step. Smaller needs less memory.' },
  { key: 'nz', label: 'Latent size', kind: 'int', min: 1, max: 1024, help: 'Size of the bottleneck code each image is squeezed into.' },
  { key: 'wAdv', label: 'Adversarial weight', kind: 'number', min: 0, help: 'Weight of the discriminator-feature loss (w_adv in the paper).' },
  { key: 'wCon', label: 'Reconstruction weight', kind: 'number', min: 0, help: 'Weight of the pixel L1 loss (w_con): how faithfully good parts are redrawn.' },
  { key: 'wEnc', label: 'Latent weight', kind: 'number', min: 0, help: 'Weight of the latent consistency loss (w_enc).' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 0, help: 'Same seed, data and backend give the same model.' },
  { key: 'scoreKind', label: 'Score', kind: 'choice', choices: ['auto', 'recon-top1', 'ssim', 'feature', 'latent'], help: 'auto: the kind that best separates the held-out good images from the same images with synthetic defects; recon-top1: mean of the worst 1% pixel differences; ssim: worst 1% of structural dissimilarity; feature: distance of the discriminator\'s features; latent: the paper\'s latent distance.' },
  { key: 'lr', label: 'Learning rate', kind: 'number', min: 0, max: 1, advanced: true, help: 'Adam step size for both networks.' },
  { key: 'beta1', label: 'Adam β1', kind: 'number', min: 0, max: 1, advanced: true, help: 'Adam momentum term.' },
  { key: 'ngf', label: 'Generator width', kind: 'int', min: 1, max: 512, advanced: true, help: 'Filters of the first generator layer.' },
  { key: 'ndf', label: 'Discriminator width', kind: 'int', min: 1, max: 512, advanced: true, help: 'Filters of the first discriminator layer.' },
  { key: 'extraLayers', label: 'Extra layers', kind: 'int', min: 0, max: 8, advanced: true, help: 'Additional 3×3 layers in each network.' },
  { key: 'validationFraction', label: 'Validation share', kind: 'number', min: 0.01, max: 0.5, advanced: true, help: 'Share of good images held out to pick the epoch and calibrate scores.' },
];

export type FormValues = Record<string, string>;

export function valuesFromOptions(options: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of TRAIN_FIELDS) if (options[f.key] !== undefined) out[f.key] = String(options[f.key]);
  return out;
}

/** Parses the form; only fields that differ from the defaults are sent, so the engine's defaults stay the source. */
export function parseTrainForm(values: FormValues, defaults: Record<string, unknown>): { options: Record<string, unknown>; errors: Record<string, string> } {
  const options: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of TRAIN_FIELDS) {
    const raw = (values[f.key] ?? '').trim();
    if (raw === '') continue;
    let v: string | number;
    if (f.kind === 'choice') {
      if (!f.choices?.includes(raw)) {
        errors[f.key] = `Choose one of ${f.choices?.join(', ')}`;
        continue;
      }
      v = raw;
    } else {
      const n = Number(raw);
      if (!Number.isFinite(n)) {
        errors[f.key] = 'Enter a number';
        continue;
      }
      if (f.kind === 'int' && !Number.isInteger(n)) {
        errors[f.key] = 'Enter a whole number';
        continue;
      }
      if (f.min !== undefined && n < f.min) {
        errors[f.key] = `At least ${f.min}`;
        continue;
      }
      if (f.max !== undefined && n > f.max) {
        errors[f.key] = `At most ${f.max}`;
        continue;
      }
      if (f.multipleOf && n % f.multipleOf !== 0) {
        errors[f.key] = `A multiple of ${f.multipleOf}`;
        continue;
      }
      v = n;
    }
    if (defaults[f.key] !== v) options[f.key] = v;
  }
  return { options, errors };
}

/** A short line describing a model's options, e.g. "32 px · 15 epochs · batch 64 · nz 100". */
export function optionsLine(o: Record<string, unknown>): string {
  const parts: string[] = [];
  if (o.isize !== undefined) parts.push(`${o.isize} px`);
  if (o.epochs !== undefined) parts.push(`${o.epochs} epoch${o.epochs === 1 ? '' : 's'}`);
  if (o.batchSize !== undefined) parts.push(`batch ${o.batchSize}`);
  if (o.nz !== undefined) parts.push(`nz ${o.nz}`);
  if (o.wAdv !== undefined) parts.push(`w ${o.wAdv}/${o.wCon}/${o.wEnc}`);
  if (o.seed !== undefined) parts.push(`seed ${o.seed}`);
  return parts.join(' · ');
}

// The store calls a trained model 'ready'; 'done' is accepted too so job-style statuses work.
export const isReady = (status: string): boolean => status === 'ready' || status === 'done';
