import { describe, expect, it } from "vitest";
import type { RunEvidence } from "../../../shared/board-api";
import { ApiError } from "../../../shared/client/api-client";
import { loadEvidence } from "./run-bundle";
import { record } from "./run-fixture";
import { WITHHELD_REASON } from "./run-files";

const evidence: RunEvidence = { firstLosses: [], lossHistory: [1, 0.5], series: {}, timings: { trainMs: 1, steps: 10 } };
const never = (): Promise<RunEvidence> => Promise.reject(new Error("should not be asked"));

describe("loadEvidence", () => {
  it("asks for a served run's evidence", async () => {
    const asked: string[] = [];
    const state = await loadEvidence(record(), async (id) => (asked.push(id), evidence));
    expect(state).toEqual({ status: "ok", evidence });
    expect(asked).toEqual([record().id]);
  });

  it("does not ask for a rejected run's or a pending run's evidence", async () => {
    expect(await loadEvidence(record({ status: "rejected" }), never)).toMatchObject({ status: "unavailable" });
    expect(await loadEvidence(record({ peerReplay: { status: "pending", segmentCount: 3, segments: [] } }), never)).toEqual({ status: "withheld", message: WITHHELD_REASON });
  });

  it("turns the server's refusals into reasons instead of errors", async () => {
    const withheld = await loadEvidence(record(), () => Promise.reject(new ApiError(409, "awaiting_peers", "Served once peers have replayed it.")));
    expect(withheld).toEqual({ status: "withheld", message: "Served once peers have replayed it." });
    const missing = await loadEvidence(record(), () => Promise.reject(new ApiError(404, "not_found", "This run's evidence is not stored.")));
    expect(missing).toEqual({ status: "unavailable", message: "The evidence could not be loaded: Not found. This run's evidence is not stored." });
  });
});
