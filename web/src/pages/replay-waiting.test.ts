import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../../shared/api";
import { waitingSentence, waitingWork } from "./replay-waiting";

const record = (outcomes: Array<"pending" | "confirmed" | "refuted">): RunRecord =>
  ({ peerReplay: { segmentCount: 3, segments: outcomes.map((outcome, segment) => ({ segment, outcome, replays: [] })) } }) as unknown as RunRecord;

describe("the replay work that waits", () => {
  it("counts the pending runs' undecided segments", () => {
    expect(waitingWork(2, [record(["pending", "confirmed"]), record(["pending", "pending"])])).toEqual({ runs: 2, segments: 3, exact: true });
    expect(waitingWork(20, [record(["pending"])])).toEqual({ runs: 20, segments: 1, exact: false });
  });

  it("says it in words", () => {
    expect(waitingSentence({ runs: 0, segments: 0, exact: true })).toBe("No run is waiting for a replay right now.");
    expect(waitingSentence({ runs: 1, segments: 1, exact: true })).toBe("1 segment of 1 run waits for a replay.");
    expect(waitingSentence({ runs: 2, segments: 3, exact: true })).toBe("3 segments of 2 runs wait for a replay.");
    expect(waitingSentence({ runs: 20, segments: 14, exact: false })).toBe("At least 14 segments of 20 runs wait for a replay.");
  });
});
