// The window: a sidebar of screens, a header with the project and model, and the current screen.
import { useState } from 'react';
import { useApi } from '../state/api-context';
import { navigate, useRoute, type Screen } from '../state/route';
import { WorkspaceProvider, isActive, useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { ImportProvider, useImportState } from '../library/import-state';
import { DropOverlay } from '../library/DropOverlay';
import { LibraryScreen } from '../library/LibraryScreen';
import { TrainScreen } from '../train/TrainScreen';
import { ResultsScreen } from '../results/ResultsScreen';
import { CompareScreen } from '../compare/CompareScreen';
import { ThresholdScreen } from '../threshold/ThresholdScreen';
import { MetricsScreen } from '../metrics/MetricsScreen';
import { ReviewScreen } from '../review/ReviewScreen';
import { ExportScreen } from '../export/ExportScreen';
import { ModelPicker } from './ModelPicker';
import { ProjectPicker } from './ProjectPicker';
import { FollowAlert } from './FollowAlert';
import { TrainingLogProvider } from '../train/training-log';

const NAV: Array<{ screen: Screen; label: string; hint: string }> = [
  { screen: 'library', label: 'Library', hint: 'Import images' },
  { screen: 'train', label: 'Train', hint: 'Train a model' },
  { screen: 'results', label: 'Results', hint: 'Ranked by anomaly score' },
  { screen: 'compare', label: 'Compare', hint: 'Original vs reconstruction' },
  { screen: 'threshold', label: 'Threshold', hint: 'Decide what gets flagged' },
  { screen: 'metrics', label: 'Metrics', hint: 'AUROC, ROC and PR' },
  { screen: 'review', label: 'Review', hint: 'Judge flagged parts' },
  { screen: 'export', label: 'Export', hint: 'CSV, JSON, report' },
];

export function App() {
  return (
    <WorkspaceProvider>
      <ImportProvider>
        <TrainingLogProvider>
          <Shell />
        </TrainingLogProvider>
      </ImportProvider>
    </WorkspaceProvider>
  );
}

function Shell() {
  const route = useRoute();
  const client = useApi();
  const ws = useWorkspace();
  const imp = useImportState();
  const [dropHint, setDropHint] = useState<string | null>(null);
  const running = Object.values(ws.jobs).filter(isActive);

  return (
    <DropOverlay
      resolve={(f) => client.pathForFile(f)}
      onPaths={(paths) => {
        navigate('library');
        void imp.start(paths);
      }}
      onFiles={
        imp.canUpload
          ? (files) => {
              navigate('library');
              void imp.startUpload(files);
            }
          : undefined
      }
      onNoPaths={(names) => {
        navigate('library');
        setDropHint(`The browser does not reveal where ${names.length === 1 ? names[0] : `${names.length} dropped items`} live on disk. Type the folder path in the field below and press Import.`);
      }}
    >
      <div className="app">
        <nav className="sidebar" aria-label="Screens">
          <div className="brand">
            <span className="brand-mark" aria-hidden>◎</span>
            <span>GANomaly Inspector</span>
          </div>
          <ul>
            {NAV.map((n) => (
              <li key={n.screen}>
                <a
                  href={`#/${n.screen}`}
                  className={route.screen === n.screen ? 'active' : undefined}
                  aria-current={route.screen === n.screen ? 'page' : undefined}
                  title={n.hint}
                >
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
          <div className="sidebar-foot muted">
            {running.length > 0 ? (
              <a href="#/train" className="job-pill">
                {running.length} job{running.length > 1 ? 's' : ''} running
              </a>
            ) : (
              <span>{client.mode === 'web' ? 'Local web mode' : 'Desktop'}</span>
            )}
          </div>
        </nav>
        <div className="main">
          <header className="topbar">
            <ProjectPicker />
            <ModelPicker />
          </header>
          <ErrorNotice error={ws.error} onRetry={ws.retry} />
          <FollowAlert />
          <main className="screen" id="screen">
            {route.screen === 'library' ? <LibraryScreen dropHint={dropHint} onDismissHint={() => setDropHint(null)} /> : null}
            {route.screen === 'train' ? <TrainScreen /> : null}
            {route.screen === 'results' ? <ResultsScreen /> : null}
            {route.screen === 'compare' ? <CompareScreen imageId={route.imageId} /> : null}
            {route.screen === 'threshold' ? <ThresholdScreen /> : null}
            {route.screen === 'metrics' ? <MetricsScreen /> : null}
            {route.screen === 'review' ? <ReviewScreen /> : null}
            {route.screen === 'export' ? <ExportScreen /> : null}
          </main>
        </div>
      </div>
    </DropOverlay>
  );
}
