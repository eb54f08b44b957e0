// The step loop every GS Lab trainer runs (two-moons lanes, Colored MNIST): cancellation, progress reports
// at most every interval with the read-backs they need, yields to the event loop, and a clock that leaves
// out the time spent inside the progress callback (a paused playground is not training time).

export class TrainingCancelled extends Error {
  constructor() {
    super("training was cancelled");
    this.name = "TrainingCancelled";
  }
}

/**
 * Lets pending messages (a cancel, a pause) run. A MessageChannel round trip, not setTimeout(0), which
 * browsers clamp to 4 ms once nested: that would cap a loop that yields every step at ~250 steps/s.
 */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

export interface LoopTiming {
  /** Steps done so far. */
  readonly step: number;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

export interface StepLoop {
  readonly steps: number;
  readonly signal?: AbortSignal;
  /** Minimum wall time between reports (each report also reads back and yields). */
  readonly progressIntervalMs: number;
  /** Runs step t (from 0), leaving anything it wants read back pending. */
  runStep(t: number): void;
  /** Reads back what the steps since the last report left pending. */
  flush(): Promise<void>;
  report?(timing: LoopTiming): void | Promise<void>;
}

/** Training time so far: wall time since the start, less the time spent in progress callbacks. */
export interface TrainingClock {
  elapsedMs(): number;
}

/** Runs every step, reporting and yielding on the way; throws TrainingCancelled when the signal aborts. */
export async function runStepLoop(loop: StepLoop): Promise<TrainingClock> {
  const started = Date.now();
  let waitingMs = 0;
  const clock = { elapsedMs: () => Date.now() - started - waitingMs };
  let lastReport = started;
  for (let t = 0; t < loop.steps; t++) {
    if (loop.signal?.aborted) throw new TrainingCancelled();
    loop.runStep(t);
    if (Date.now() - lastReport >= loop.progressIntervalMs || t === loop.steps - 1) {
      await loop.flush();
      const elapsedMs = clock.elapsedMs();
      const stepsPerSecond = ((t + 1) * 1000) / Math.max(elapsedMs, 1);
      const callbackStarted = Date.now();
      await loop.report?.({ step: t + 1, steps: loop.steps, elapsedMs, stepsPerSecond, etaSeconds: (loop.steps - t - 1) / stepsPerSecond });
      await yieldToEventLoop();
      lastReport = Date.now();
      waitingMs += lastReport - callbackStarted;
    }
  }
  await loop.flush();
  return clock;
}
