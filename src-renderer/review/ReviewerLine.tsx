// Whose decisions these are: the name each review is saved with, set or changed here.
import { useState, useSyncExternalStore } from 'react';
import { onReviewerName, reviewerName, setReviewerName } from '../state/reviewer';

const REVIEWER_MAX = 100;

export function ReviewerLine() {
  const name = useSyncExternalStore(onReviewerName, reviewerName);
  const [editing, setEditing] = useState<string | null>(null);
  if (editing !== null) {
    return (
      <form className="row small" aria-label="Reviewer" onSubmit={(e) => (e.preventDefault(), setReviewerName(editing), setEditing(null))}>
        <input
          autoFocus value={editing} maxLength={REVIEWER_MAX} onChange={(e) => setEditing(e.target.value)}
          aria-label="Your name" placeholder="Name or badge number" onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
        />
        <button type="submit">Save</button>
        <button type="button" className="ghost" onClick={() => setEditing(null)}>Cancel</button>
      </form>
    );
  }
  return (
    <p className="small" data-testid="reviewer">
      {name ? <>Decisions are saved as <strong>{name}</strong>. </> : <>Decisions are saved without a name. </>}
      <button className="link" onClick={() => setEditing(name)}>{name ? 'Change' : 'Add your name'}</button>
    </p>
  );
}
