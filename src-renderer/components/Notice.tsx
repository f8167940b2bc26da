// Empty states and error messages: each says what happened and what to do next.
import type { ReactNode } from 'react';

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children ? <div className="muted">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function ErrorNotice({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      <div>{describeError(error)}</div>
      <div className="notice-actions">
        {onRetry ? <button onClick={onRetry}>Try again</button> : null}
        {onDismiss ? <button className="ghost" onClick={onDismiss} aria-label="Dismiss">Dismiss</button> : null}
      </div>
    </div>
  );
}

/** Client errors carry {code, message}; anything else is shown by its message. */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; code?: unknown };
    if (typeof e.message === 'string' && e.message) return e.message;
    if (typeof e.code === 'string') return e.code;
  }
  return 'Something went wrong. Try again; if it keeps failing, restart the app.';
}
