// Determinate progress with a text line under it; indeterminate when the fraction is unknown.
export interface ProgressBarProps {
  value: number | null;
  label: string;
  detail?: string;
}

export function ProgressBar({ value, label, detail }: ProgressBarProps) {
  const pct = value === null ? null : Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 10;
  return (
    <div className="progress" role="group" aria-label={label}>
      <div className="progress-head">
        <span>{label}</span>
        <span className="num">{pct === null ? '' : `${pct.toFixed(1)} %`}</span>
      </div>
      <div
        className={`progress-track${pct === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <div className="progress-fill" style={{ width: pct === null ? '30%' : `${pct}%` }} />
      </div>
      {detail ? <div className="progress-detail muted">{detail}</div> : null}
    </div>
  );
}
