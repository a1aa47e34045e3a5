import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';

/** A calm empty state: what is missing and what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

/** An error banner that says what went wrong and offers a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong while loading.';
  return (
    <div class="alert alert-error" role="alert">
      <span>{message}</span>
      {onRetry && <button type="button" class="btn btn-small" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p class="loading" role="status">{label}</p>;
}
