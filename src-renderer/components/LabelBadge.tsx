import type { Decision, Label, Split } from '../api/client';

export function LabelBadge({ label, split }: { label: Label | null; split?: Split | null }) {
  const text = label === null ? 'unlabelled' : label;
  return (
    <span className={`badge label-${label ?? 'none'}`} title={split ? `${text}, ${split} split` : text}>
      {text}
      {split ? <span className="badge-split">{split}</span> : null}
    </span>
  );
}

export function DecisionBadge({ decision }: { decision: Decision | null | undefined }) {
  if (!decision) return <span className="badge quiet">unreviewed</span>;
  return <span className={`badge decision-${decision}`}>{decision}</span>;
}

/** Marks an image the model trained or validated on: its score says little, and the figures leave it out. */
export function TrainedBadge({ trained }: { trained: boolean }) {
  return trained ? <span className="badge quiet" title="The model trained or validated on this image: its score here is no evidence">trained on</span> : null;
}
