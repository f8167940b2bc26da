// thresholds.*: a model's threshold (append-only history) and suggestions for one: best F1, a percentile of the
// held-out good images' scores, or the share of known defects it must catch.
import { bestF1 } from '../../engine/metrics';
import { trainValidation } from '../../jobs/protocol';
import type { ScoreKind } from '../../shared/vocabulary';
import type { ThresholdSuggestion } from '../types';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { thresholdRow } from '../mappers';
import { labelledScores } from './results';

type ThresholdHandlers = Pick<Handlers, 'thresholds.get' | 'thresholds.set' | 'thresholds.suggest'>;

/** The ascending validation scores of the model's score kind, from the statistics the train runner saved. */
export function validationSample(stats: unknown, kind: string): number[] | null {
  // Only the calibration: stored JSON turns a NaN elsewhere (a synthetic AUROC) into null.
  const parsed = trainValidation.pick({ calibration: true }).safeParse(stats);
  // A kind without saved statistics (e.g. 'auto' before it is resolved) has no sample.
  return parsed.success ? parsed.data.calibration[kind as ScoreKind]?.sorted ?? null : null;
}

export function quantile(sorted: number[], p: number): number {
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The highest threshold that flags at least `recall` % of the known defects (a line's escape rate is set this
 * way), and what it costs in good parts flagged. Chosen on the same labelled parts it is judged on, as best F1 is.
 */
function recallThreshold({ scores, labels }: { scores: number[]; labels: number[] }, recall: number): ThresholdSuggestion {
  const defects = scores.filter((_, i) => labels[i] === 1).sort((a, b) => b - a);
  const good = scores.filter((_, i) => labels[i] === 0);
  if (!defects.length) {
    throw new ApiFailure('conflict', 'Catching a share of known defects needs scored images labelled or reviewed defect (the model\'s own training images do not count)');
  }
  const need = Math.ceil((recall / 100) * defects.length - 1e-9);
  const value = defects[need - 1];
  const caught = defects.filter((s) => s >= value).length; // ties with the last one needed are caught too
  const falseAlarms = good.filter((s) => s >= value).length;
  // Whole per cents that never flatter: the share caught rounded down, the false alarms up.
  const pct = (a: number, b: number, round: (x: number) => number) => `${round((100 * a) / b)} %`; // exact when whole: 100a and b are integers
  return {
    method: 'recall', value, recall: caught / defects.length, precision: caught / (caught + falseAlarms), falseAlarms: { flagged: falseAlarms, of: good.length },
    basis: `flags ${caught} of ${defects.length} known defects (${pct(caught, defects.length, Math.floor)}, at least ${recall} % asked)` +
      (good.length ? ` and ${falseAlarms} of ${good.length} good parts (${pct(falseAlarms, good.length, Math.ceil)})` : '; no known good part to count false alarms on'),
  };
}

export function thresholdHandlers(ctx: ApiContext): ThresholdHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);
  const changed = (modelId: number) => ctx.events.emit('library.changed', { projectId: model(modelId).projectId, what: 'thresholds' });

  return {
    'thresholds.get': ({ modelId }) => {
      model(modelId);
      const history = store.thresholds.history(modelId).map(thresholdRow);
      return { current: history[0] ?? null, history };
    },
    'thresholds.set': ({ modelId, value, lower, source }) => {
      model(modelId);
      const row = thresholdRow(store.thresholds.set(modelId, { value, lower, source }));
      changed(modelId);
      return row;
    },
    'thresholds.suggest': ({ modelId, method, percentile, recall }) => {
      const m = model(modelId);
      if (method === 'recall') return recallThreshold(labelledScores(ctx, modelId), recall);
      if (method === 'best-f1') {
        const { scores, labels } = labelledScores(ctx, modelId);
        const defects = labels.filter((l) => l === 1).length;
        if (defects === 0 || defects === labels.length) {
          throw new ApiFailure(
            'conflict',
            'Best F1 needs scored images labelled both good and defect; use a percentile of the validation scores instead',
          );
        }
        const best = bestF1(scores, labels);
        return { method, value: best.threshold, f1: best.f1, precision: best.precision, recall: best.recall, basis: `best F1 over ${labels.length} labelled images` };
      }
      const sample = validationSample(m.validationStats, m.scoreKind);
      if (!sample || sample.length === 0) {
        throw new ApiFailure('conflict', `Model ${modelId} has no validation scores saved (was it trained to the end?)`);
      }
      return {
        method,
        value: quantile(sample, percentile),
        percentile,
        basis: `${percentile}th percentile of ${sample.length} validation scores (good images never trained on)`,
      };
    },
  };
}
