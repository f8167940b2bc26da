// A part's current decision in words, for lists and the report.
import type { ReviewRow } from '../api/client';

/** With who made it when a name was given: "defect (A. Jensen)"; '' when unreviewed. */
export function decisionWords(review: Pick<ReviewRow, 'decision' | 'reviewer'> | null | undefined): string {
  if (!review?.decision) return '';
  return review.reviewer ? `${review.decision} (${review.reviewer})` : review.decision;
}
