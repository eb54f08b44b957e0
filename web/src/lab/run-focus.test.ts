import { describe, expect, it } from "vitest";
import { focusTargetOf, runAnnouncement } from "./run-focus";
import { initialTraining, type TrainingState } from "./training-state";

const training: TrainingState = { ...initialTraining, phase: "training", seed: 3 };

describe("the run's focus and announcements", () => {
  it("moves focus to the run when it starts and to the result when it ends", () => {
    expect(focusTargetOf("training")).toBe("run-heading");
    expect(focusTargetOf("done")).toBe("result-heading");
    expect(focusTargetOf("submitted")).toBe("verification-outcome");
    expect(focusTargetOf("cancelled")).toBe("cancelled-notice");
    expect(focusTargetOf("error")).toBe("run-error");
    expect(focusTargetOf("submitting")).toBeNull();
  });

  it("announces moments, never progress", () => {
    expect(runAnnouncement(initialTraining)).toBe("");
    expect(runAnnouncement(training)).toBe("Run of seed 3 starting.");
    const onWasm = { ...training, backend: { name: "wasm", adapter: null, attempts: [] } };
    expect(runAnnouncement(onWasm)).toBe("Run of seed 3 training on wasm.");
    // Progress changes nothing in what is said.
    const later = { ...onWasm, progress: { step: 500, steps: 1000, loss: 0.2, stepsPerSecond: 300, etaSeconds: 2, elapsedMs: 1500 } };
    expect(runAnnouncement(later)).toBe(runAnnouncement(onWasm));
    expect(runAnnouncement({ ...onWasm, paused: true, mode: "practice" })).toBe("Practice run paused.");
    expect(runAnnouncement({ ...onWasm, phase: "cancelled" })).toBe("Training cancelled.");
  });
});
