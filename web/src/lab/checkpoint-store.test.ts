// Why: proves the IndexedDB run store keeps checkpoints intact (typed arrays included), orders and replaces
// runs, refuses stale checkpoints and drops expired workunits (fake-indexeddb stands in for the browser's).
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import type { Workunit } from "../../../shared/api";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import { openCheckpointStore, type CheckpointStore } from "./checkpoint-store";

const HOUR = 3_600_000;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");

const workunit = (id: string, expiresInHours: number, seed = 1): Workunit => ({
  workunitId: id,
  token: "t".repeat(43),
  protocolId: "cmnist-erm-reduced",
  protocolVersion: 1,
  seed,
  expiresAt: new Date(T0 + expiresInHours * HOUR).toISOString(),
  datasetUrl: null,
  datasetDigest: null,
});

const checkpoint = (step: number): CmnistCheckpoint => ({
  protocolId: "cmnist-erm-reduced",
  protocolVersion: 1,
  step,
  steps: 100,
  weights: Float32Array.of(0.1, -2.5e-8, 3),
  optimizerState: [Float32Array.of(1e-9, 2), Float32Array.of(0)],
  historySteps: [0, 10],
  lossHistory: [0.69, 0.5],
  accuracyHistory: [0.5, 0.75],
  elapsedMs: 1234,
});

describe("the checkpoint store", () => {
  let clock = T0;
  let factory: IDBFactory;
  let store: CheckpointStore;
  beforeEach(async () => {
    clock = T0;
    factory = new IDBFactory();
    store = await openCheckpointStore({ indexedDB: factory, now: () => clock });
  });

  it("puts, gets and lists runs, newest first, and deletes them", async () => {
    await store.put({ workunit: workunit("wu_a", 6), contributor: "ada", backend: "webgpu", checkpoint: null });
    clock += 1000;
    await store.put({ workunit: workunit("wu_b", 6, 2), contributor: null, backend: "auto", checkpoint: checkpoint(10) });
    expect((await store.list()).map((r) => r.id)).toEqual(["wu_b", "wu_a"]);
    const a = await store.get("wu_a");
    expect(a).toMatchObject({ id: "wu_a", contributor: "ada", backend: "webgpu", checkpoint: null, savedAt: T0 });
    expect(a!.workunit).toEqual(workunit("wu_a", 6));
    await store.delete("wu_a");
    expect(await store.get("wu_a")).toBeUndefined();
    expect((await store.list()).map((r) => r.id)).toEqual(["wu_b"]);
  });

  it("keeps checkpoints bit for bit across a reopen, typed arrays as typed arrays", async () => {
    await store.put({ workunit: workunit("wu_a", 6), contributor: null, backend: "wasm", checkpoint: null });
    expect(await store.saveCheckpoint("wu_a", checkpoint(20))).toBe(true);
    store.close();
    const reopened = await openCheckpointStore({ indexedDB: factory, now: () => clock });
    const saved = (await reopened.get("wu_a"))!.checkpoint!;
    expect(saved.weights).toBeInstanceOf(Float32Array);
    expect(Array.from(saved.weights)).toEqual(Array.from(checkpoint(20).weights));
    expect(saved.optimizerState.map((s) => Array.from(s))).toEqual(checkpoint(20).optimizerState.map((s) => Array.from(s)));
    expect(saved).toEqual(checkpoint(20));
  });

  it("stores a checkpoint only into a run it still has, and never an older one over a newer", async () => {
    expect(await store.saveCheckpoint("wu_gone", checkpoint(5))).toBe(false);
    expect(await store.get("wu_gone")).toBeUndefined();
    await store.put({ workunit: workunit("wu_a", 6), contributor: null, backend: "wasm", checkpoint: null });
    expect(await store.saveCheckpoint("wu_a", checkpoint(30))).toBe(true);
    expect(await store.saveCheckpoint("wu_a", checkpoint(20))).toBe(false);
    expect((await store.get("wu_a"))!.checkpoint!.step).toBe(30);
  });

  it("drops runs whose workunit has expired", async () => {
    await store.put({ workunit: workunit("wu_short", 1), contributor: null, backend: "wasm", checkpoint: checkpoint(10) });
    await store.put({ workunit: workunit("wu_long", 6), contributor: null, backend: "wasm", checkpoint: checkpoint(10) });
    expect(await store.dropExpired()).toEqual([]);
    clock = T0 + 2 * HOUR;
    expect(await store.get("wu_short")).toBeUndefined();
    await store.put({ workunit: workunit("wu_short2", 1), contributor: null, backend: "wasm", checkpoint: null });
    clock = T0 + 3 * HOUR;
    expect((await store.dropExpired()).map((r) => r.id)).toEqual(["wu_short2"]);
    expect((await store.list()).map((r) => r.id)).toEqual(["wu_long"]);
    clock = T0 + 7 * HOUR;
    expect(await store.list()).toEqual([]);
  });
});
