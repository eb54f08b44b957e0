import { describe, expect, it } from "vitest";
import type { PlaygroundUpdate } from "./playground-messages";
import { canSave, initialPlayground, reducePlayground, type PlaygroundEvent, type PlaygroundState } from "./playground-state";

const update = (fields: Partial<PlaygroundUpdate>): PlaygroundEvent => ({
  type: "worker",
  message: { type: "update", step: 0, running: false, finished: false, stepsPerSecond: null, losses: [], features: [], grid: null, ...fields },
});
const play = (events: PlaygroundEvent[], from: PlaygroundState = initialPlayground): PlaygroundState => events.reduce(reducePlayground, from);

describe("the playground's state", () => {
  it("grows the loss and |z| curves with each update and keeps the latest grid", () => {
    const grid = new Float32Array(4);
    const state = play([
      update({ step: 0, features: [[0, 0.5, 0.1]], grid }),
      update({
        step: 11,
        running: true,
        losses: [
          [0, 0.7],
          [10, 0.6],
        ],
        features: [[11, 0.6, 0.2]],
      }),
    ]);
    expect(state).toMatchObject({ status: "playing", step: 11, grid, gridStep: 0 });
    expect(state.loss).toEqual({ steps: [0, 10], values: [0.7, 0.6] });
    expect(state.features[0]).toEqual({ steps: [0, 11], values: [0.5, 0.6] });
    expect(state.features[1]).toEqual({ steps: [0, 11], values: [0.1, 0.2] });
    expect(canSave(state)).toBe(false);
    const paused = play([update({ step: 20, losses: [[20, 0.5]] })], state);
    expect(paused.status).toBe("paused");
    expect(canSave(paused)).toBe(true);
  });

  it("cannot save before the first step, and not twice at once", () => {
    expect(canSave(play([update({ step: 0 })]))).toBe(false);
    const saving = play([update({ step: 5 }), { type: "save-start" }]);
    expect(canSave(saving)).toBe(false);
    const failed = play([{ type: "save-failed", error: { kind: "network", name: "TypeError", message: "Failed to fetch" } }], saving);
    expect(canSave(failed)).toBe(true);
  });

  it("stops at an error and starts over on restart", () => {
    const broken = play([
      { type: "worker", message: { type: "error", error: { kind: "backend", name: "BackendError", message: "no" } } },
      update({ step: 3 }),
    ]);
    expect(broken).toMatchObject({ status: "error", step: 0 });
    expect(reducePlayground(broken, { type: "restart" })).toBe(initialPlayground);
  });
});
