// The step loop every GS Lab trainer runs (two-moons lanes, Colored MNIST): cancellation, pause/resume,
// checkpoints, evidence snapshots at fixed steps, progress reports at most every interval with the read-backs they need, yields to the event
// loop, and a clock that leaves out the time spent paused or inside callbacks (not training time).

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

/** A pause switch the loop consults between steps. */
export interface PauseGate {
  readonly paused: boolean;
  /** Resolves once the gate is open again (at once when it is). */
  whenResumed(): Promise<void>;
}

export interface PauseSwitch extends PauseGate {
  pause(): void;
  resume(): void;
}

/** A gate the caller opens and closes, e.g. from "pause" / "resume" messages. */
export function createPauseSwitch(): PauseSwitch {
  let waiting: { promise: Promise<void>; resolve: () => void } | null = null;
  return {
    get paused() {
      return waiting !== null;
    },
    pause() {
      if (waiting) return;
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      waiting = { promise, resolve };
    },
    resume() {
      const current = waiting;
      waiting = null;
      current?.resolve();
    },
    whenResumed: () => waiting?.promise ?? Promise.resolve(),
  };
}

/** Resolves when the gate opens; rejects with TrainingCancelled if the signal aborts first. */
async function waitForGate(gate: PauseGate, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return gate.whenResumed();
  if (signal.aborted) throw new TrainingCancelled();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new TrainingCancelled());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([gate.whenResumed(), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

export interface LoopTiming {
  /** Steps done so far (counting those before a resumed loop's first step). */
  readonly step: number;
  readonly steps: number;
  /** Training time of this loop (paused time and callbacks left out). */
  readonly elapsedMs: number;
  /** Measured over the steps this loop ran. */
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

/** When to take a checkpoint: every `everyMs` of training time or `everySteps` steps (whichever comes first), on pause and after the last step. */
export interface CheckpointPolicy {
  readonly everyMs: number;
  readonly everySteps: number;
  /** Called with the steps done and the training time so far, after flush() (everything read back); its own time is left off the clock. */
  save(stepsDone: number, elapsedMs: number): Promise<void>;
}

export interface StepLoop {
  readonly steps: number;
  /** Resumes at this step (the steps before it were done earlier); default 0. */
  readonly firstStep?: number;
  readonly signal?: AbortSignal;
  /** Minimum wall time between reports (each report also reads back and yields). */
  readonly progressIntervalMs: number;
  /** Runs step t (from 0), leaving anything it wants read back pending. */
  runStep(t: number): void;
  /** Reads back what the steps since the last report left pending. */
  flush(): Promise<void>;
  report?(timing: LoopTiming): void | Promise<void>;
  /** Consulted before every step: while it is closed the loop waits (after a checkpoint, if any). */
  readonly pause?: PauseGate;
  readonly checkpoint?: CheckpointPolicy;
  /** Evidence taken at fixed steps (trajectory checkpoints): called after flush() whenever due(stepsDone), off the clock. */
  readonly snapshot?: { due(stepsDone: number): boolean; take(stepsDone: number): Promise<void> };
}

/** Training time so far: wall time since the start, less the time spent paused, in progress callbacks and saving checkpoints. */
export interface TrainingClock {
  elapsedMs(): number;
}

/** Runs every step, reporting and yielding on the way; throws TrainingCancelled when the signal aborts. */
export async function runStepLoop(loop: StepLoop): Promise<TrainingClock> {
  const first = loop.firstStep ?? 0;
  if (!Number.isInteger(first) || first < 0 || first > loop.steps) throw new RangeError(`firstStep must be an integer in 0..${loop.steps}, got ${first}`);
  const started = Date.now();
  let waitingMs = 0;
  const clock = { elapsedMs: () => Date.now() - started - waitingMs };
  /** Runs `work` off the training clock. */
  const offClock = async (work: () => unknown): Promise<void> => {
    const from = Date.now();
    try {
      await work();
    } finally {
      waitingMs += Date.now() - from;
    }
  };
  let lastReport = started;
  let lastCheckpoint = { step: first, ms: 0 };
  const checkpoint = async (stepsDone: number): Promise<void> => {
    const policy = loop.checkpoint;
    if (!policy || stepsDone === lastCheckpoint.step) return;
    await loop.flush();
    const elapsedMs = clock.elapsedMs();
    await offClock(() => policy.save(stepsDone, elapsedMs));
    lastCheckpoint = { step: stepsDone, ms: clock.elapsedMs() };
  };
  const checkpointDue = (stepsDone: number): boolean => {
    const policy = loop.checkpoint;
    if (!policy) return false;
    return stepsDone === loop.steps || stepsDone - lastCheckpoint.step >= policy.everySteps || clock.elapsedMs() - lastCheckpoint.ms >= policy.everyMs;
  };
  for (let t = first; t < loop.steps; t++) {
    if (loop.pause?.paused) {
      await checkpoint(t);
      await offClock(() => waitForGate(loop.pause!, loop.signal));
    }
    if (loop.signal?.aborted) throw new TrainingCancelled();
    loop.runStep(t);
    if (Date.now() - lastReport >= loop.progressIntervalMs || t === loop.steps - 1) {
      await loop.flush();
      const elapsedMs = clock.elapsedMs();
      const stepsPerSecond = ((t + 1 - first) * 1000) / Math.max(elapsedMs, 1);
      await offClock(async () => {
        await loop.report?.({ step: t + 1, steps: loop.steps, elapsedMs, stepsPerSecond, etaSeconds: (loop.steps - t - 1) / stepsPerSecond });
        await yieldToEventLoop();
      });
      lastReport = Date.now();
    }
    if (loop.snapshot?.due(t + 1)) {
      await loop.flush();
      await offClock(() => loop.snapshot!.take(t + 1));
    }
    if (checkpointDue(t + 1)) await checkpoint(t + 1);
  }
  await loop.flush();
  return clock;
}
