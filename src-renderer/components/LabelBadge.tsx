import type { Decision, Label, ReviewRow, Split } from '../api/client';
import { formatDate } from './format';

export function LabelBadge({ label, split }: { label: Label | null; split?: Split | null }) {
  const text = label === null ? 'unlabelled' : label;
  return (
    <span className={`badge label-${label ?? 'none'}`} title={split ? `${text}, ${split} split` : text}>
      {text}
      {split ? <span className="badge-split">{split}</span> : null}
    </span>
  );
}

/** The current decision; with its review, when and by whom it was made on hover. */
export function DecisionBadge({ decision, review }: { decision: Decision | null | undefined; review?: Pick<ReviewRow, 'createdAt' | 'reviewer'> | null }) {
  if (!decision) return <span className="badge quiet">unreviewed</span>;
  const title = review ? `${decision}, ${formatDate(review.createdAt)}${review.reviewer ? ` by ${review.reviewer}` : ''}` : undefined;
  return <span className={`badge decision-${decision}`} title={title}>{decision}</span>;
}

/** Marks an image the model trained or validated on: its score says little, and the figures leave it out. */
export function TrainedBadge({ trained }: { trained: boolean }) {
  return trained ? <span className="badge quiet" title="The model trained or validated on this image: its score here is no evidence">trained on</span> : null;
}
