// export.*: a model's results, or a project's review trail (or the whole library's, deleted projects included), as CSV or JSON text (the renderer saves it).
import type { ApiContext } from '../context';
import { need } from '../context';
import type { Handlers } from '../dispatch';
import { exportCsv, exportJson, exportLines, reviewTrailCsv, reviewTrailJson } from './export-format';
import { thresholdGuard, toStoreFilter } from './ranking';

type ExportHandlers = Pick<Handlers, 'export.results' | 'export.reviews'>;

export function exportHandlers(ctx: ApiContext): ExportHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);

  return {
    'export.results': ({ modelId, format, filter, threshold }) => {
      const m = model(modelId);
      const found = thresholdGuard(() => store.stats.exportRows(modelId, threshold, filter && toStoreFilter(ctx, modelId, filter)));
      const rows = exportLines(found, store.imports.lots(m.projectId));
      const base = `${m.name.replace(/[^\w.-]+/g, '_')}-${filter ? 'list' : 'results'}`;
      return format === 'csv'
        ? { filename: `${base}.csv`, mime: 'text/csv', text: exportCsv(rows), rows: rows.length }
        : { filename: `${base}.json`, mime: 'application/json', text: exportJson(m, rows), rows: rows.length };
    },
    'export.reviews': ({ projectId, format }) => {
      const p = projectId === undefined ? null : need(store.projects.get(projectId), 'project', projectId);
      const rows = p ? store.reviews.trail(p.id) : store.reviews.libraryTrail();
      const base = `${p ? p.name.replace(/[^\w.-]+/g, '_') : 'library'}-reviews`;
      return format === 'csv'
        ? { filename: `${base}.csv`, mime: 'text/csv', text: reviewTrailCsv(rows), rows: rows.length }
        : { filename: `${base}.json`, mime: 'application/json', text: reviewTrailJson(p, rows), rows: rows.length };
    },
  };
}
