// A verified run's record for the run page's unit tests (a Fig. 1 run whose segments the server replayed).
import type { RunRecord } from "../../../shared/api";

export const RUN_ID = "run_00000000-0000-4000-8000-000000000001";

export function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: RUN_ID,
    protocolId: "fig1-margin-pos",
    protocolVersion: 1,
    seed: 4,
    status: "accepted",
    reason: null,
    message: "",
    contributor: null,
    contributorId: null,
    claimed: {},
    recomputed: {},
    environment: { backend: "wasm", tfjsVersion: "4.22.0", userAgent: "test", client: "web" },
    trainMs: 1000,
    createdAt: "2026-01-01T00:00:00.000Z",
    hidden: false,
    replay: { segments: [0, 1], segmentCount: 10, deviation: 0 },
    peerReplay: null,
    counted: true,
    ...overrides,
  };
}
