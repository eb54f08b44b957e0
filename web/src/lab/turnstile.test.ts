// Why: proves the Lab loads Cloudflare's Turnstile script only when asked, once, again after a failure, and turns
// the widget's callbacks into one token or one plain error; a fake `window.turnstile` and document stand in (no network).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Turnstile from "./turnstile";

class FakeScript {
  src = "";
  async = false;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  removed = false;
  remove(): void {
    this.removed = true;
  }
}

/** A fake `window.turnstile`: each render records its parameters under a fresh widget id. */
function fakeTurnstile(renderAnswer: (n: number) => string | undefined = (n) => `widget-${n}`) {
  const widgets = new Map<string, Turnstile.TurnstileRenderParams>();
  let count = 0;
  return {
    widgets,
    render: vi.fn((_container: HTMLElement, params: Turnstile.TurnstileRenderParams) => {
      const id = renderAnswer(++count);
      if (id) widgets.set(id, params);
      return id;
    }),
    remove: vi.fn((id: string) => {
      if (!widgets.delete(id)) throw new Error(`no widget ${id}`);
    }),
  };
}

let turnstile: typeof Turnstile;
let scripts: FakeScript[];
let fakeWindow: { turnstile?: Turnstile.TurnstileApi };
const container = {} as HTMLElement;

beforeEach(async () => {
  scripts = [];
  fakeWindow = {};
  vi.stubGlobal("window", fakeWindow);
  vi.stubGlobal("document", {
    createElement: (tag: string) => {
      expect(tag).toBe("script");
      return new FakeScript();
    },
    head: { appendChild: (script: FakeScript) => scripts.push(script) },
  });
  // The module remembers its script load: every test starts from a fresh page.
  vi.resetModules();
  turnstile = await import("./turnstile");
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("loadTurnstile", () => {
  it("adds Cloudflare's script (explicit rendering) only when asked, once for every caller, and resolves with window.turnstile", async () => {
    expect(scripts).toHaveLength(0);
    const first = turnstile.loadTurnstile();
    const second = turnstile.loadTurnstile();
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.src).toBe("https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit");
    expect(scripts[0]!.async).toBe(true);
    const api = fakeTurnstile();
    fakeWindow.turnstile = api;
    scripts[0]!.onload!();
    expect(await first).toBe(api);
    expect(await second).toBe(api);
    expect(await turnstile.loadTurnstile()).toBe(api);
    expect(scripts).toHaveLength(1);
  });

  it("adds no script when the page already has window.turnstile", async () => {
    const api = fakeTurnstile();
    fakeWindow.turnstile = api;
    expect(await turnstile.loadTurnstile()).toBe(api);
    expect(scripts).toHaveLength(0);
  });

  it("a script that fails to load is a clear error, removed, and the next call tries again", async () => {
    const failed = turnstile.loadTurnstile();
    scripts[0]!.onerror!();
    await expect(failed).rejects.toThrow(turnstile.TurnstileError);
    await expect(failed).rejects.toThrow(/could not be loaded.*try again/);
    expect(scripts[0]!.removed).toBe(true);

    const retried = turnstile.loadTurnstile();
    expect(scripts).toHaveLength(2);
    fakeWindow.turnstile = fakeTurnstile();
    scripts[1]!.onload!();
    expect(await retried).toBe(fakeWindow.turnstile);
  });

  it("a script that loads without defining window.turnstile, or never loads, is an error", async () => {
    const empty = turnstile.loadTurnstile();
    scripts[0]!.onload!();
    await expect(empty).rejects.toThrow(/loaded without starting/);

    vi.useFakeTimers();
    const slow = turnstile.loadTurnstile(1000);
    const outcome = expect(slow).rejects.toThrow(/took too long/);
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    expect(scripts[1]!.removed).toBe(true);
  });
});

describe("renderTurnstile", () => {
  const handlers = () => ({ onToken: vi.fn(), onError: vi.fn() });

  it("renders explicitly with the site key and passes the solved token on", () => {
    const api = fakeTurnstile();
    const on = handlers();
    turnstile.renderTurnstile(api, container, "1x00000000000000000000AA", on);
    expect(api.render).toHaveBeenCalledTimes(1);
    expect(api.render.mock.calls[0]![0]).toBe(container);
    const params = api.widgets.get("widget-1")!;
    expect(params.sitekey).toBe("1x00000000000000000000AA");
    params.callback("token-abc");
    expect(on.onToken).toHaveBeenCalledWith("token-abc");
    expect(on.onError).not.toHaveBeenCalled();
  });

  it("turns the widget's error, expiry, timeout and unsupported browser into messages (and handles the error itself)", () => {
    const api = fakeTurnstile();
    const on = handlers();
    turnstile.renderTurnstile(api, container, "site-key", on);
    const params = api.widgets.get("widget-1")!;
    expect(params["error-callback"]("110200")).toBe(true);
    params["expired-callback"]();
    params["timeout-callback"]();
    params["unsupported-callback"]();
    expect(on.onError.mock.calls.map(([message]) => message)).toEqual([
      expect.stringContaining("110200"),
      expect.stringMatching(/expired/),
      expect.stringMatching(/timed out/),
      expect.stringMatching(/not supported/),
    ]);
    expect(on.onToken).not.toHaveBeenCalled();
  });

  it("returns the widget's removal (harmless twice), and throws when Turnstile renders nothing", () => {
    const api = fakeTurnstile();
    const remove = turnstile.renderTurnstile(api, container, "site-key", handlers());
    remove();
    expect(api.remove).toHaveBeenCalledWith("widget-1");
    expect(api.widgets.size).toBe(0);
    expect(() => remove()).not.toThrow();

    expect(() => turnstile.renderTurnstile(fakeTurnstile(() => undefined), container, "site-key", handlers())).toThrow(turnstile.TurnstileError);
  });
});
