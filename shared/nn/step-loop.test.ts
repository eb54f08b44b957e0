// Why: proves the step loop's pause gate (paused time off the clock and the ETA), resumed loops and checkpoint timing.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPauseSwitch, runStepLoop, TrainingCancelled, type LoopTiming, type StepLoop } from "./step-loop";

/** Each step "takes" 10 ms of the faked clock; nothing else advances it unless a test says so. */
const STEP_MS = 10;

function recorder(overrides: Partial<StepLoop> & { steps: number }) {
  const ran: number[] = [];
  const reports: LoopTiming[] = [];
  const events: string[] = [];
  const loop: StepLoop = {
    progressIntervalMs: 0,
    runStep: (t) => {
      ran.push(t);
      events.push(`step ${t}`);
      vi.setSystemTime(Date.now() + STEP_MS);
    },
    flush: async () => void events.push("flush"),
    report: (timing) => void reports.push(timing),
    ...overrides,
  };
  return { loop, ran, reports, events };
}

describe("runStepLoop", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("waits while paused and leaves the paused time out of the clock, the rate and the ETA", async () => {
    const gate = createPauseSwitch();
    const reports: LoopTiming[] = [];
    const { loop, ran } = recorder({
      steps: 6,
      pause: gate,
      report: (timing) => {
        reports.push(timing);
        if (timing.step === 2) {
          gate.pause();
          // An hour later (on the faked clock) the user resumes.
          setTimeout(() => {
            vi.setSystemTime(Date.now() + 3_600_000);
            gate.resume();
          }, 20);
        }
      },
    });
    const clock = await runStepLoop(loop);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
    expect(clock.elapsedMs()).toBe(6 * STEP_MS);
    const afterPause = reports.find((r) => r.step === 3)!;
    expect(afterPause.elapsedMs).toBe(3 * STEP_MS);
    expect(afterPause.stepsPerSecond).toBeCloseTo(1000 / STEP_MS, 9);
    expect(afterPause.etaSeconds).toBeCloseTo((3 * STEP_MS) / 1000, 9);
  });

  it("stops with TrainingCancelled when cancelled while paused", async () => {
    const gate = createPauseSwitch();
    const controller = new AbortController();
    const { loop, ran } = recorder({
      steps: 5,
      pause: gate,
      signal: controller.signal,
      report: (timing) => {
        if (timing.step === 1) {
          gate.pause();
          setTimeout(() => controller.abort(), 10);
        }
      },
    });
    await expect(runStepLoop(loop)).rejects.toBeInstanceOf(TrainingCancelled);
    expect(ran).toEqual([0]);
    expect(gate.paused).toBe(true);
  });

  it("resumes at firstStep: runs only the remaining steps, counts steps from the start, times only its own", async () => {
    const { loop, ran, reports } = recorder({ steps: 10, firstStep: 7 });
    const clock = await runStepLoop(loop);
    expect(ran).toEqual([7, 8, 9]);
    expect(reports.map((r) => r.step)).toEqual([8, 9, 10]);
    expect(reports[0]!.etaSeconds).toBeCloseTo((2 * STEP_MS) / 1000, 9);
    expect(clock.elapsedMs()).toBe(3 * STEP_MS);
    await expect(runStepLoop({ ...loop, firstStep: 11 })).rejects.toBeInstanceOf(RangeError);
    ran.length = 0;
    await runStepLoop({ ...loop, firstStep: 10 });
    expect(ran).toEqual([]);
  });

  it("checkpoints every N steps, on pause and after the last step, after reading back and off the clock", async () => {
    const gate = createPauseSwitch();
    const saved: number[] = [];
    const { loop, events } = recorder({
      steps: 7,
      report: undefined,
      progressIntervalMs: Infinity,
      pause: gate,
      checkpoint: {
        everyMs: Infinity,
        everySteps: 3,
        save: async (stepsDone) => {
          saved.push(stepsDone);
          events.push(`save ${stepsDone}`);
          vi.setSystemTime(Date.now() + 1000);
        },
      },
      runStep: (t) => {
        events.push(`step ${t}`);
        vi.setSystemTime(Date.now() + STEP_MS);
        if (t === 4) {
          gate.pause();
          setTimeout(() => gate.resume(), 5);
        }
      },
    });
    // Due after 3 steps; a pause before step 5 saves step 5 first; the last step always saves.
    const clock = await runStepLoop(loop);
    expect(saved).toEqual([3, 5, 7]);
    expect(events.indexOf("save 3")).toBe(events.indexOf("step 2") + 2);
    expect(events.indexOf("save 5")).toBe(events.indexOf("step 4") + 2);
    expect(events[events.indexOf("save 3") - 1]).toBe("flush");
    expect(clock.elapsedMs()).toBe(7 * STEP_MS);
  });

  it("takes checkpoints every everyMs of training time", async () => {
    const saved: number[] = [];
    const { loop } = recorder({ steps: 10, checkpoint: { everyMs: 35, everySteps: Infinity, save: async (s) => void saved.push(s) } });
    await runStepLoop(loop);
    expect(saved).toEqual([4, 8, 10]);
  });
});
