// A running training: progress with ETA, live loss curves, validation per epoch, cancel.
import { useEffect } from 'react';
import { useRequest } from '../state/api-context';
import type { JobProgress } from '../state/workspace';
import { ProgressBar } from '../components/ProgressBar';
import { formatDuration, formatNumber } from '../components/format';
import { LossChart } from './LossChart';
import { useTrainingLog } from './training-log';
import { ValidationTable } from './ValidationTable';

export function progressDetail(j: JobProgress): string {
  const parts: string[] = [j.phase];
  if (j.epoch !== undefined && j.epochs !== undefined) parts.push(`epoch ${j.epoch} of ${j.epochs}`);
  if (j.batch !== undefined && j.batches !== undefined) parts.push(`batch ${j.batch} of ${j.batches}`);
  if (j.imagesPerSecond !== undefined) parts.push(`${formatNumber(j.imagesPerSecond, 1)} images/s`);
  if (j.etaSeconds !== undefined) parts.push(`about ${formatDuration(j.etaSeconds)} left`);
  return parts.join(' · ');
}

export function TrainingProgress({ job, onCancel }: { job: JobProgress; onCancel: () => void }) {
  const log = useTrainingLog(job.jobId);
  // The store numbers epochs exactly; its history is re-read each time a new validation result arrives.
  const detail = useRequest('models.get', job.modelId ? { modelId: job.modelId } : null);
  const { reload } = detail;
  const validations = log?.validations ?? 0;
  useEffect(() => {
    if (validations > 0) reload();
  }, [validations, reload]);
  const history = detail.data?.history ?? [];
  return (
    <section className="card" aria-live="polite" aria-label="Training">
      <div className="row spread">
        <h2>Training</h2>
        <button onClick={onCancel} className="danger">Cancel training</button>
      </div>
      <ProgressBar value={job.progress} label="Training progress" detail={progressDetail(job)} />
      {job.message ? <div className="notice info">{job.message}</div> : null}
      {log && log.series.x.length > 1 ? <LossChart series={log.series} /> : <p className="muted small">Loss curves appear after the first batches.</p>}
      {history.length > 0 ? (
        <ValidationTable rows={history.map((h) => ({ epoch: h.epoch, figures: { ...h.validation, seconds: h.seconds } }))} scoreKind={detail.data?.scoreKind} />
      ) : null}
    </section>
  );
}
