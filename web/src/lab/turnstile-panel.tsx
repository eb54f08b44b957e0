// Why: a server behind Cloudflare Turnstile hands out work only for a solved challenge; this panel shows it and passes its token on.
import { useEffect, useRef, useState } from "preact/hooks";
import { loadTurnstile, renderTurnstile } from "./turnstile";

interface TurnstilePanelProps {
  readonly siteKey: string;
  /** Why the server refused the last token (shown above a fresh widget); null on the first ask. */
  readonly refusal: string | null;
  /** Called once per rendered widget with its single-use token. */
  readonly onToken: (token: string) => void;
  readonly onCancel: () => void;
}

type WidgetStatus = { readonly kind: "loading" } | { readonly kind: "shown" } | { readonly kind: "error"; readonly message: string };

export function TurnstilePanel({ siteKey, refusal, onToken, onCancel }: TurnstilePanelProps) {
  const container = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const tokenHandler = useRef(onToken);
  tokenHandler.current = onToken;
  const [status, setStatus] = useState<WidgetStatus>({ kind: "loading" });
  // Bumped by "Try again": the widget is removed and rendered afresh.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    let live = true;
    let remove: (() => void) | null = null;
    setStatus({ kind: "loading" });
    loadTurnstile().then(
      (api) => {
        if (!live || !container.current) return;
        let used = false;
        try {
          remove = renderTurnstile(api, container.current, siteKey, {
            onToken: (token) => {
              if (!live || used) return;
              used = true;
              tokenHandler.current(token);
            },
            onError: (message) => live && setStatus({ kind: "error", message }),
          });
          setStatus({ kind: "shown" });
        } catch (error) {
          setStatus({ kind: "error", message: (error as Error).message });
        }
      },
      (error: unknown) => live && setStatus({ kind: "error", message: (error as Error).message }),
    );
    return () => {
      live = false;
      remove?.();
    };
  }, [siteKey, attempt]);

  return (
    <section class="panel" aria-labelledby="challenge-heading" data-testid="turnstile-panel">
      <h2 id="challenge-heading" tabIndex={-1} ref={heading}>
        One check first
      </h2>
      <p>This server asks you to prove you are a person before it hands out work.</p>
      {refusal && (
        <p class="notice notice-warn" role="alert">
          The server did not accept the last answer: {refusal}
        </p>
      )}
      <div ref={container} class="turnstile-widget" data-testid="turnstile-widget" />
      {status.kind === "loading" && (
        <p class="muted" role="status" aria-live="polite">
          Loading Cloudflare's challenge…
        </p>
      )}
      {status.kind === "error" && (
        <div class="notice notice-error" role="alert" data-testid="turnstile-error">
          <p>{status.message}</p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      <div class="actions">
        <button type="button" class="secondary" data-testid="turnstile-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
