import { describe, expect, it } from "vitest";
import type { RunMeta, RunRecord, Workunit } from "../../../shared/api";
import type { FinishedRun, FromWorker } from "../train/messages";
import { initialTraining, isBusy, reduceTraining, type TrainingEvent, type TrainingState } from "./training-state";

const workunit: Workunit = {
  workunitId: "wu_1",
  token: "t".repeat(43),
  protocolId: "fig1-margin-pos",
  protocolVersion: 1,
  seed: 4,
  expiresAt: "2030-01-01T00:00:00.000Z",
  datasetUrl: "/api/datasets/moons?seed=4",
  datasetDigest: "0".repeat(64),
};

const meta = {
  token: workunit.token,
  protocolId: "fig1-margin-pos",
  protocolVersion: 1,
  seed: 4,
  claimed: { curvature: 0.1 },
  firstLosses: [0.7],
  lossHistory: [0.7, 0.5, 0.3],
  environment: { backend: "wasm", tfjsVersion: "4.22.0", client: "web", userAgent: "test" },
  timings: { trainMs: 1000, steps: 20 },
} satisfies RunMeta;

const finished: FinishedRun = {
  meta,
  weights: new Float32Array(4),
  checkpoints: null,
  metrics: { curvature: 0.1 },
  grid: new Float32Array(10_000),
  localVerdict: { status: "accepted", reason: null, message: "ok" },
};

const worker = (message: FromWorker): TrainingEvent => ({ type: "worker", message });
const play = (events: TrainingEvent[], from: TrainingState = initialTraining): TrainingState => events.reduce(reduceTraining, from);

describe("the Lab's training state", () => {
  it("goes from a workunit through live training to a finished run", () => {
    let state = play([{ type: "request-workunit", protocolId: "fig1-margin-pos" }]);
    expect(state.phase).toBe("requesting");
    expect(isBusy(state)).toBe(true);
    state = play(
      [
        { type: "workunit", workunit },
        worker({ type: "backend", backend: "wasm", adapter: null, attempts: [{ backend: "wasm", ok: true }] }),
        worker({ type: "progress", step: 10, steps: 1000, loss: 0.6, stepsPerSecond: 100, etaSeconds: 9.9, elapsedMs: 100 }),
        worker({ type: "progress", step: 20, steps: 1000, loss: 0.5, stepsPerSecond: 100, etaSeconds: 9.8, elapsedMs: 200 }),
        worker({ type: "grid", step: 20, grid: new Float32Array(3) }),
      ],
      state,
    );
    expect(state).toMatchObject({ phase: "training", mode: "workunit", seed: 4, backend: { name: "wasm" }, gridStep: 20 });
    expect(state.curve).toEqual({ steps: [9, 19], losses: [0.6, 0.5] });
    state = reduceTraining(state, worker({ type: "done", run: finished }));
    expect(state.phase).toBe("done");
    // The live curve is replaced by the exact history (fig1 reports every 10 steps).
    expect(state.curve).toEqual({ steps: [0, 10, 20], losses: [0.7, 0.5, 0.3] });
    expect(state.grid).toBe(finished.grid);
    expect(isBusy(state)).toBe(true);
  });

  it("submits only real workunits and keeps the run when the submission fails", () => {
    const done = play([{ type: "request-workunit", protocolId: "fig1-margin-pos" }, { type: "workunit", workunit }, worker({ type: "done", run: finished })]);
    const failed = play([{ type: "submit" }, { type: "failed", during: "submit", error: { kind: "network", name: "TypeError", message: "Failed to fetch" } }], done);
    expect(failed).toMatchObject({ phase: "done", errorDuring: "submit" });
    expect(failed.run).toBe(finished);
    const record = { id: "run_1", status: "accepted" } as RunRecord;
    const submitted = play([{ type: "submit" }, { type: "submitted", record }], failed);
    expect(submitted).toMatchObject({ phase: "submitted", submission: record, error: null });
    expect(isBusy(submitted)).toBe(false);

    const practice = play([{ type: "start-practice", protocolId: "fig1-margin-pos", seed: 2 }, worker({ type: "done", run: finished }), { type: "submit" }]);
    expect(practice).toMatchObject({ phase: "done", mode: "practice", seed: 2 });
    expect(isBusy(practice)).toBe(false);
  });

  it("shows the server's Turnstile challenge, asks again with its token, and gets the workunit", () => {
    const challenge = { kind: "turnstile", siteKey: "1x00000000000000000000AA" } as const;
    const asked = play([{ type: "request-workunit", protocolId: "fig1-margin-pos" }, { type: "challenge", challenge, refusal: null }]);
    expect(asked).toMatchObject({ phase: "challenge", protocolId: "fig1-margin-pos", challenge, challengeRefusal: null });
    // Nothing is lost by leaving a challenge; a challenge arriving outside a request is ignored.
    expect(isBusy(asked)).toBe(false);
    expect(reduceTraining(asked, { type: "challenge", challenge, refusal: "again" })).toBe(asked);
    const refused = play([{ type: "request-workunit", protocolId: "fig1-margin-pos" }, { type: "challenge", challenge, refusal: "The Turnstile token was not accepted." }], asked);
    expect(refused).toMatchObject({ phase: "challenge", challengeRefusal: "The Turnstile token was not accepted." });
    const training = play([{ type: "request-workunit", protocolId: "fig1-margin-pos" }, { type: "workunit", workunit }], refused);
    expect(training).toMatchObject({ phase: "training", workunit, challenge: null, challengeRefusal: null });
    expect(reduceTraining(asked, { type: "reset" })).toBe(initialTraining);
  });

  it("ignores worker messages once training has ended", () => {
    const cancelled = play([{ type: "start-practice", protocolId: "fig1-margin-pos", seed: 0 }, worker({ type: "cancelled" })]);
    expect(cancelled.phase).toBe("cancelled");
    expect(reduceTraining(cancelled, worker({ type: "done", run: finished }))).toBe(cancelled);
    const error = play([{ type: "request-workunit", protocolId: "x" }, { type: "failed", during: "workunit", error: { kind: "api", name: "ApiError", message: "no" } }]);
    expect(error).toMatchObject({ phase: "error", errorDuring: "workunit" });
  });

  it("resumes a saved Colored-MNIST run: download, pause, checkpoints, the curve at the loss's own step", () => {
    const cmnist: Workunit = { ...workunit, protocolId: "cmnist-erm-reduced", datasetUrl: null, datasetDigest: null };
    let state = play([
      { type: "request-workunit", protocolId: cmnist.protocolId },
      { type: "workunit", workunit: cmnist, resume: { step: 40, curve: { steps: [0, 10, 20, 30], losses: [0.7, 0.6, 0.55, 0.5] } } },
      worker({ type: "download", received: 1000, total: 4000, fromCache: null }),
    ]);
    expect(state).toMatchObject({ phase: "training", resumedFrom: 40, checkpointStep: 40, download: { received: 1000, total: 4000, fromCache: null } });
    state = play(
      [
        worker({ type: "download", received: 4000, total: 4000, fromCache: true }),
        worker({ type: "progress", step: 45, steps: 100, loss: 0.45, lossStep: 40, trainAccuracy: 0.8, stepsPerSecond: 2, etaSeconds: 27.5, elapsedMs: 9000 }),
        // Read back again at step 46, still the loss of step 40: no new point.
        worker({ type: "progress", step: 46, steps: 100, loss: 0.45, lossStep: 40, trainAccuracy: 0.8, stepsPerSecond: 2, etaSeconds: 27, elapsedMs: 9500 }),
        { type: "pause" },
      ],
      state,
    );
    expect(state.download?.fromCache).toBe(true);
    expect(state.curve).toEqual({ steps: [0, 10, 20, 30, 40], losses: [0.7, 0.6, 0.55, 0.5, 0.45] });
    expect(state.paused).toBe(true);
    const checkpoint = { step: 46 } as Extract<FromWorker, { type: "checkpoint" }>["checkpoint"];
    state = play([worker({ type: "checkpoint", checkpoint }), { type: "resume" }], state);
    expect(state).toMatchObject({ paused: false, checkpointStep: 46 });
    state = play([{ type: "pause" }, worker({ type: "cancelled" })], state);
    expect(state).toMatchObject({ phase: "cancelled", paused: false });
    expect(reduceTraining(state, { type: "pause" })).toBe(state);
  });

  it("plots a finished run's history at the steps the worker names", () => {
    const run: FinishedRun = { ...finished, meta: { ...meta, protocolId: "cmnist-erm-reduced", lossHistory: [0.7, 0.4, 0.3] }, grid: null, historySteps: [0, 10, 19] };
    const state = play([{ type: "start-practice", protocolId: "cmnist-erm-reduced", seed: 1 }, worker({ type: "done", run })]);
    expect(state.curve).toEqual({ steps: [0, 10, 19], losses: [0.7, 0.4, 0.3] });
  });
});
