// Results: every scored image, most anomalous first, with sort and filters; a row opens Compare.
import { useState, useSyncExternalStore } from 'react';
import type { RankedImage } from '../api/client';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { navigate } from '../state/route';
import { useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { usePaged } from '../components/use-paged';
import { digitsToTellApart, formatNumber, formatScore } from '../components/format';
import { FilterBar } from './FilterBar';
import { isReady } from '../components/model-text';
import { RankingList } from './RankingList';
import { QuickThresholdLine } from '../components/QuickThreshold';
import { UnscoredNotice } from '../components/UnscoredNotice';
import { downloadText } from '../components/download';
import { DEFAULT_FILTERS, activeFilterCount, describeFilters, onRememberedFilters, rankingQuery, rememberedFilters, setRememberedFilters } from '../state/result-filters';
import { reviewScopeOf, setReviewScope } from '../state/review-scope';

export function ResultsScreen() {
  const client = useApi();
  const ws = useWorkspace();
  const filters = useSyncExternalStore(onRememberedFilters, rememberedFilters);
  const setFilters = setRememberedFilters;
  const model = ws.model;
  const folders = useRequest('library.folders', ws.projectId ? { projectId: ws.projectId } : null);
  const threshold = useRequest('thresholds.get', model ? { modelId: model.id } : null);
  useReloadOn(ws.projectId, ['thresholds'], threshold.reload);
  const query = model && model.scoredCount > 0 ? rankingQuery(model.id, filters, ws.preview?.value) : null;
  const paged = usePaged<RankedImage>(query ? JSON.stringify(query) : null, (offset, limit) => client.call('results.ranking', { ...query!, offset, limit }), 200);
  useReloadOn(ws.projectId, ['scores', 'reviews', 'thresholds'], paged.reload);
  const [exportError, setExportError] = useState<unknown>(null);

  if (!ws.modelsLoaded) return <p className="muted">Loading…</p>;
  if (!model) {
    return (
      <EmptyState title="No results yet" action={<a className="button primary" href="#/train">Train a model</a>}>
        Results appear once a model is trained and has scored the images.
      </EmptyState>
    );
  }
  if (model.scoredCount === 0) {
    return (
      <EmptyState title={`${model.name} has not scored any images`} action={<a className="button primary" href="#/train">Open the model</a>}>
        {isReady(model.status) ? 'Press “Score all images” on the Train screen.' : `The model is ${model.status}; scores follow when training is done.`}
      </EmptyState>
    );
  }
  const current = threshold.data?.current;
  // This list's flagged and uncertain parts in the keyboard queue (which needs a saved threshold).
  const scope = query?.filter ? reviewScopeOf(query.filter, filters) : null;
  const reviewThese = () => {
    setReviewScope(scope);
    navigate('review');
  };
  // This list as CSV (a lot's flagged parts for the rework station), flagged as the list shows them.
  const exportThese = async () => {
    setExportError(null);
    try {
      const out = await client.call('export.results', { modelId: model.id, format: 'csv', filter: query?.filter, threshold: query?.threshold });
      downloadText(out.filename, out.mime, out.text);
    } catch (e) {
      setExportError(e);
    }
  };
  // The threshold with as many digits as the top of the ranking needs to read apart from it.
  const digits = digitsToTellApart([current?.value, ws.preview?.value, ...Array.from({ length: 50 }, (_, i) => paged.get(i)?.score)]);
  return (
    <div className="stack fill">
      <div className="screen-head row spread">
        <div>
          <h1>Results</h1>
          <p className="muted">
            {formatNumber(paged.total)} of {formatNumber(model.scoredCount)} scored images ·{' '}
            {ws.preview ? (
              <span className="badge warn">previewing threshold {formatScore(ws.preview.value, digits)} (not saved)</span>
            ) : current ? (
              <>threshold {formatScore(current.value, digits)}</>
            ) : (
              <QuickThresholdLine modelId={model.id} />
            )}
          </p>
        </div>
        <div className="row">
          {activeFilterCount(filters) > 0 && (paged.total ?? 0) > 0 ? (
            <button onClick={exportThese} title="This list as CSV, most anomalous first: path, scores, flag, review, lot">Export these</button>
          ) : null}
          {current && scope && (paged.total ?? 0) > 0 ? (
            <button onClick={reviewThese} title="The Review queue with only this list's flagged and uncertain parts">Review these</button>
          ) : null}
        </div>
      </div>
      <UnscoredNotice model={model} />
      <FilterBar value={filters} onChange={setFilters} folders={(folders.data ?? []).map((f) => f.folder)} />
      <ErrorNotice error={paged.error} onRetry={paged.reload} />
      <ErrorNotice error={exportError} onDismiss={() => setExportError(null)} />
      {paged.total === 0 ? (
        <EmptyState title="No image matches these filters">
          Showing only: {describeFilters(filters)}. <button className="link" onClick={() => setFilters({ ...DEFAULT_FILTERS, sort: filters.sort })}>Clear filters</button>
        </EmptyState>
      ) : (
        <RankingList paged={paged} label="Ranking" ranked={filters.sort === 'score-desc'} onOpen={(r) => navigate('compare', r.id)} />
      )}
    </div>
  );
}
