// Sort and filters of the ranking; plain controls so the keyboard reaches every one.
import type { ResultFilters, SortKey } from '../state/result-filters';
import { DEFAULT_FILTERS, activeFilterCount } from '../state/result-filters';
import { formatDate } from '../components/format';

/** The last two folder names are what people recognise; the full path is in the tooltip. */
export function shortFolder(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : path;
}

export function FilterBar({ value, onChange, folders }: { value: ResultFilters; onChange: (f: ResultFilters) => void; folders: string[] }) {
  const set = <K extends keyof ResultFilters>(k: K, v: ResultFilters[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="filter-bar" role="toolbar" aria-label="Sort and filter">
      <label className="picker">
        <span className="muted">Sort</span>
        <select value={value.sort} onChange={(e) => set('sort', e.target.value as SortKey)} aria-label="Sort">
          <option value="score-desc">Most anomalous first</option>
          <option value="score-asc">Least anomalous first</option>
          <option value="newest">Newest imports first</option>
          <option value="path">By path</option>
          <option value="review-time">Recently reviewed</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={value.flagged} onChange={(e) => set('flagged', e.target.checked)} /> Flagged only
      </label>
      <label className="check">
        <input type="checkbox" checked={value.unreviewed} onChange={(e) => set('unreviewed', e.target.checked)} /> Unreviewed only
      </label>
      <label className="check" title="Leave out the images the model trained or validated on: their scores are no evidence">
        <input type="checkbox" checked={value.notTrained} onChange={(e) => set('notTrained', e.target.checked)} /> Not trained on
      </label>
      <label className="picker">
        <span className="muted">Label</span>
        <select value={value.label} onChange={(e) => set('label', e.target.value as ResultFilters['label'])} aria-label="Label">
          <option value="all">Any</option>
          <option value="good">Good</option>
          <option value="defect">Defect</option>
          <option value="unlabeled">Unlabelled</option>
        </select>
      </label>
      <label className="picker">
        <span className="muted">Split</span>
        <select value={value.split} onChange={(e) => set('split', e.target.value as ResultFilters['split'])} aria-label="Split">
          <option value="all">Any</option>
          <option value="train">Train</option>
          <option value="test">Test</option>
        </select>
      </label>
      <label className="picker">
        <span className="muted">Folder</span>
        <select value={value.folder} onChange={(e) => set('folder', e.target.value)} aria-label="Folder">
          <option value="">Any</option>
          {folders.map((f) => <option key={f} value={f} title={f}>{shortFolder(f)}</option>)}
        </select>
      </label>
      <label className="picker">
        <span className="muted">Name</span>
        <input type="search" value={value.name} onChange={(e) => set('name', e.target.value)} aria-label="File name holds" placeholder="serial number, part of a name" spellCheck={false} />
      </label>
      {value.since ? (
        <span className="badge" title="Set by the followed folder's banner: the parts that came in since following began">
          came in since {formatDate(value.since)}{' '}
          <button className="link" onClick={() => set('since', null)} aria-label="Show parts of any time">×</button>
        </span>
      ) : null}
      {value.lot ? (
        <span className="badge" title="Set from the Threshold screen's Flagged by lot: the parts this lot's imports brought in">
          lot {value.lot.name}{' '}
          <button className="link" onClick={() => set('lot', null)} aria-label="Show parts of every lot">×</button>
        </span>
      ) : null}
      {activeFilterCount(value) > 0 ? (
        <button className="ghost" onClick={() => onChange({ ...DEFAULT_FILTERS, sort: value.sort })}>Clear filters</button>
      ) : null}
    </div>
  );
}
