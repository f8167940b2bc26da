// thresholds.*: a model's threshold (append-only history) and suggestions for one: best F1, a percentile of the
// held-out good images' scores, or the share of known defects it must catch.
import { saveThresholdFile } from '../../services/model-threshold';
import { bestF1 } from '../../engine/metrics';
import { crossValidatedF1, leaveOneOutRecall, thresholdForRecall } from '../../engine/held-out';
import { savedValidationSample } from '../../jobs/protocol';
import type { ThresholdSuggestion } from '../types';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { thresholdRow } from '../mappers';
import { labelledScores } from './results';

type ThresholdHandlers = Pick<Handlers, 'thresholds.get' | 'thresholds.set' | 'thresholds.suggest'>;

export function quantile(sorted: number[], p: number): number {
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// Whole per cents that never flatter: a share caught rounded down, false alarms up (exact when whole: 100a and b are integers).
const pct = (a: number, b: number, round: (x: number) => number) => `${round((100 * a) / b)} %`;

/**
 * The highest threshold that flags at least `recall` % of the known defects (a line's escape rate is set this
 * way), what it costs in good parts flagged, and what it catches of defects it was not chosen on.
 */
function recallThreshold({ scores, labels }: { scores: number[]; labels: number[] }, recall: number): ThresholdSuggestion {
  const defects = scores.filter((_, i) => labels[i] === 1).sort((a, b) => b - a);
  const good = scores.filter((_, i) => labels[i] === 0);
  if (!defects.length) {
    throw new ApiFailure('conflict', 'Catching a share of known defects needs scored images labelled or reviewed defect (the model\'s own training images do not count)');
  }
  const value = thresholdForRecall(defects, recall);
  const caught = defects.filter((s) => s >= value).length; // ties with the last one needed are caught too
  const falseAlarms = good.filter((s) => s >= value).length;
  // The good parts played no part in the choice, so their count is fair already; the defects' is not.
  const heldOut = leaveOneOutRecall(defects, recall);
  return {
    method: 'recall', value, recall: caught / defects.length, precision: caught / (caught + falseAlarms), falseAlarms: { flagged: falseAlarms, of: good.length },
    heldOutRecall: heldOut,
    basis: `flags ${caught} of ${defects.length} known defects (${pct(caught, defects.length, Math.floor)}, at least ${recall} % asked)` +
      (good.length ? ` and ${falseAlarms} of ${good.length} good parts (${pct(falseAlarms, good.length, Math.ceil)})` : '; no known good part to count false alarms on') +
      (heldOut ? `. Chosen on these very defects: with each left out of the choice in turn, ${heldOut.caught} of ${heldOut.of} ` +
        `are caught (${pct(heldOut.caught, heldOut.of, Math.floor)}), what to expect of new ones` : ''),
  };
}

/** The threshold of best F1 on the labelled parts, with the F1 it gets on parts it was not chosen on. */
function bestF1Threshold({ scores, labels }: { scores: number[]; labels: number[] }): ThresholdSuggestion {
  const defects = labels.filter((l) => l === 1).length;
  if (defects === 0 || defects === labels.length) {
    throw new ApiFailure('conflict', 'Best F1 needs scored images labelled both good and defect; use a percentile of the validation scores instead');
  }
  const best = bestF1(scores, labels);
  const heldOut = crossValidatedF1(scores, labels);
  return {
    method: 'best-f1', value: best.threshold, f1: best.f1, precision: best.precision, recall: best.recall, heldOutF1: heldOut,
    basis: `best F1 over ${labels.length} labelled images (${best.f1.toFixed(3)})` + (heldOut
      ? `; on parts it was not chosen on (${heldOut.folds} folds, each judged by a threshold chosen on the others) F1 ${heldOut.f1.toFixed(3)}, ` +
        `catching ${heldOut.tp} of ${heldOut.tp + heldOut.fn} defects (${pct(heldOut.tp, heldOut.tp + heldOut.fn, Math.floor)}) with ` +
        `${heldOut.fp} false alarms: what to expect of new parts`
      : ''),
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
    'thresholds.set': async ({ modelId, value, lower, source }) => {
      const m = model(modelId);
      const saved = store.thresholds.set(modelId, { value, lower, source });
      changed(modelId);
      // The model's folder carries its threshold to another PC (models.import reads it); the library's row is the record.
      if (m.weightsDir) {
        await saveThresholdFile(m.weightsDir, saved)
          .catch((err: Error) => console.warn(`threshold of model ${modelId} not written to its folder: ${err.message}`));
      }
      return thresholdRow(saved);
    },
    'thresholds.suggest': ({ modelId, method, percentile, recall }) => {
      const m = model(modelId);
      if (method === 'recall') return recallThreshold(labelledScores(ctx, modelId), recall);
      if (method === 'best-f1') return bestF1Threshold(labelledScores(ctx, modelId));
      const sample = savedValidationSample(m.validationStats, m.scoreKind);
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
