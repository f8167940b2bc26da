// A running training: progress with ETA, live loss curves, validation per epoch, cancel.
import type { JobProgress } from '../app/workspace';
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
  return (
    <section className="card" aria-live="polite" aria-label="Training">
      <div className="row spread">
        <h2>Training</h2>
        <button onClick={onCancel} className="danger">Cancel training</button>
      </div>
      <ProgressBar value={job.progress} label="Training progress" detail={progressDetail(job)} />
      {job.message ? <div className="notice info">{job.message}</div> : null}
      {log && log.series.x.length > 1 ? <LossChart series={log.series} /> : <p className="muted small">Loss curves appear after the first batches.</p>}
      {log && log.validation.length > 0 ? <ValidationTable rows={log.validation} /> : null}
    </section>
  );
}
