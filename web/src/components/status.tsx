// Loading and error states shown the same way on every page: errors in plain words, with a retry button where retrying can help.
import type { ComponentChildren } from "preact";
import { describeError, isRetryable } from "../errors";

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

interface ErrorBoxProps {
  readonly error: unknown;
  readonly onRetry?: () => void;
  readonly retryLabel?: string;
  readonly children?: ComponentChildren;
}

export function ErrorBox({ error, onRetry, retryLabel = "Try again", children }: ErrorBoxProps) {
  const { title, detail } = describeError(error);
  return (
    <div class="notice notice-error" role="alert" data-testid="error">
      <p>
        <strong>{title}</strong> {detail}
      </p>
      {children}
      {onRetry && isRetryable(error) && (
        <button type="button" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}
