// metrics.compare: two models of a project on the parts both scored, with a known answer, that neither trained
// on: each one's AUROC and how sure the difference is (DeLong, as for the baseline), so "is the new model
// better?" is answered on the same parts, and honestly when they are too few to tell.
import { auroc } from '../../engine/metrics';
import { aurocLead } from '../../shared/auroc-lead';
import { truthOf } from '../../shared/truth';
import { signedLead } from '../../shared/verdict';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure, type Handlers } from '../dispatch';
import type * as T from '../types';
import { scoreArrays } from './results';

export function modelComparisonHandlers(ctx: ApiContext): Pick<Handlers, 'metrics.compare'> {
  return {
    'metrics.compare': ({ modelId, otherId }) => {
      const a = need(ctx.store.models.get(modelId), 'model', modelId);
      const b = need(ctx.store.models.get(otherId), 'model', otherId);
      if (modelId === otherId) throw new ApiFailure('bad-request', 'Pick another model to compare with');
      if (a.projectId !== b.projectId) throw new ApiFailure('bad-request', `Models ${modelId} and ${otherId} belong to different projects`);
      return ctx.memo.get(`compare:${modelId}:${otherId}`, () => compare(ctx, modelId, otherId, b.name));
    },
  };
}

const f3 = (v: number) => v.toFixed(3);

function compare(ctx: ApiContext, modelId: number, otherId: number, otherName: string): T.ModelComparison {
  const mine = scoreArrays(ctx, modelId);
  const theirs = scoreArrays(ctx, otherId);
  const other = new Map(theirs.imageIds.map((id, i) => [id, i]));
  const scores: number[] = [], otherScores: number[] = [], defective: boolean[] = [];
  mine.imageIds.forEach((id, i) => {
    const j = other.get(id);
    if (j === undefined || theirs.trained[j]) return;
    // The truth rule sees one image: its label and latest review are the same under both models.
    const truth = truthOf(mine.labels[i], mine.decisions[i], mine.trained[i]);
    if (truth === null) return;
    scores.push(mine.scores[i]);
    otherScores.push(theirs.scores[j]);
    defective.push(truth === 'defect');
  });
  const d = defective.filter(Boolean).length;
  const g = defective.length - d;
  const parts = `${d} defective and ${g} good part${g === 1 ? '' : 's'} both models scored and neither trained on`;
  if (!d || !g) return { defective: d, good: g, auroc: null, otherAuroc: null, lead: null, settled: null, text: `Comparing needs both classes: ${parts}.` };
  const mineAuroc = auroc(scores, defective);
  const theirAuroc = auroc(otherScores, defective);
  const { lead, low, high } = aurocLead(scores, otherScores, defective);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const settled = Number.isFinite(low) && Number.isFinite(high) ? low > 0 || high < 0 : null;
  let text = `On the ${parts}: AUROC ${f3(mineAuroc)} against ${f3(theirAuroc)} for "${otherName}" (${signedLead(lead)}).`;
  if (settled !== null) {
    text += ` The difference's 95 % interval runs from ${signedLead(low)} to ${signedLead(high)}: ${
      low > 0 ? 'this model ranks these parts better.' : high < 0 ? `"${otherName}" ranks these parts better.` : 'not settled, either could rank better; label or review more parts to tell.'}`;
  }
  return { defective: d, good: g, auroc: mineAuroc, otherAuroc: theirAuroc, lead: { value: lead, low: finite(low), high: finite(high) }, settled, text };
}
