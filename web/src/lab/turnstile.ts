// Why: the server may ask for a Cloudflare Turnstile challenge; this loads Cloudflare's script only then (once) and wraps its explicit render.

/** Explicit rendering: the script renders nothing by itself (https://developers.cloudflare.com/turnstile/). */
export const TURNSTILE_SCRIPT_URL = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
/** How long the script may take to load before the Lab says it could not be loaded. */
export const TURNSTILE_LOAD_TIMEOUT_MS = 20_000;

/** The render parameters used here (Turnstile's explicit rendering API). */
export interface TurnstileRenderParams {
  readonly sitekey: string;
  readonly callback: (token: string) => void;
  readonly "error-callback": (code: string) => boolean | void;
  readonly "expired-callback": () => void;
  readonly "timeout-callback": () => void;
  readonly "unsupported-callback": () => void;
  readonly "refresh-expired": "manual";
}

/** The part of `window.turnstile` used here. */
export interface TurnstileApi {
  render(container: HTMLElement, params: TurnstileRenderParams): string | null | undefined;
  remove(widgetId: string): void;
}

declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

/** Thrown when Cloudflare's script cannot be loaded, or the widget cannot be rendered. */
export class TurnstileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TurnstileError";
  }
}

let loading: Promise<TurnstileApi> | null = null;

/** `window.turnstile`, loading Cloudflare's script first if needed: one script element at a time, retried after a failure. */
export function loadTurnstile(timeoutMs = TURNSTILE_LOAD_TIMEOUT_MS): Promise<TurnstileApi> {
  const present = window.turnstile;
  if (present) return Promise.resolve(present);
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement("script");
    const fail = (why: string): void => {
      clearTimeout(timer);
      script.remove();
      loading = null;
      reject(new TurnstileError(`Cloudflare's challenge ${why}. Check your connection (or a blocker of challenges.cloudflare.com) and try again.`));
    };
    const timer = setTimeout(() => fail("took too long to load"), timeoutMs);
    script.src = TURNSTILE_SCRIPT_URL;
    script.async = true;
    script.onload = () => {
      const api = window.turnstile;
      if (!api) return fail("loaded without starting");
      clearTimeout(timer);
      resolve(api);
    };
    script.onerror = () => fail("could not be loaded");
    document.head.appendChild(script);
  });
  return loading;
}

export interface WidgetHandlers {
  /** A solved challenge's token (single-use: one workunit request). */
  onToken(token: string): void;
  /** The widget failed, expired or timed out: `message` says so, and rendering it again is the way on. */
  onError(message: string): void;
}

/** Renders a widget into `container`; returns the function that removes it. */
export function renderTurnstile(api: TurnstileApi, container: HTMLElement, siteKey: string, handlers: WidgetHandlers): () => void {
  const widgetId = api.render(container, {
    sitekey: siteKey,
    callback: (token) => handlers.onToken(token),
    "error-callback": (code) => {
      handlers.onError(`The challenge failed (Turnstile error ${code}).`);
      return true; // handled here: Turnstile throws no exception of its own
    },
    "expired-callback": () => handlers.onError("The challenge expired before it was used."),
    "timeout-callback": () => handlers.onError("The challenge timed out."),
    "unsupported-callback": () => handlers.onError("This browser is not supported by Cloudflare's challenge."),
    "refresh-expired": "manual",
  });
  if (!widgetId) throw new TurnstileError("Cloudflare's challenge could not be shown.");
  return () => {
    try {
      api.remove(widgetId);
    } catch {
      // Already gone (the page moved on): nothing to clean up.
    }
  };
}
