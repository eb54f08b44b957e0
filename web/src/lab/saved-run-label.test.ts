// Why: pins the wording of saved-run offers and byte counts the Lab shows.
import { describe, expect, it } from "vitest";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import type { SavedRun } from "./checkpoint-store";
import { formatBytes } from "./format-bytes";
import { expiryText, savedRunSteps, savedRunSummary } from "./saved-run-label";

const run = (protocolId: string, checkpoint: Partial<CmnistCheckpoint> | null): SavedRun => ({
  id: "wu_1",
  workunit: { workunitId: "wu_1", token: "t".repeat(43), protocolId, protocolVersion: 1, seed: 3, expiresAt: "2030-01-01T06:00:00.000Z", datasetUrl: null, datasetDigest: null },
  contributor: null,
  backend: "auto",
  checkpoint: checkpoint as CmnistCheckpoint | null,
  savedAt: 0,
});

describe("saved-run labels", () => {
  it("names the protocol, seed and progress", () => {
    expect(savedRunSummary(run("cmnist-erm", { step: 420, steps: 1001 }))).toBe("cmnist-erm, seed 3, step 420 of 1,001");
    // No checkpoint yet: step 0 of the protocol's steps; an unknown protocol has no step count.
    expect(savedRunSummary(run("cmnist-erm", null))).toBe("cmnist-erm, seed 3, step 0 of 1,001");
    expect(savedRunSteps(run("no-such-protocol", null))).toBeNull();
    expect(savedRunSummary(run("no-such-protocol", null))).toBe("no-such-protocol, seed 3, step 0");
  });

  it("says how long a workunit has left", () => {
    const expiresAt = "2030-01-01T06:00:00.000Z";
    expect(expiryText(expiresAt, Date.parse("2030-01-01T00:48:00.000Z"))).toBe("expires in 5 h 12 min");
    expect(expiryText(expiresAt, Date.parse(expiresAt))).toBe("expired");
  });

  it("formats byte counts", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(11_820_016)).toBe("12 MB");
    expect(formatBytes(3_400_000)).toBe("3.4 MB");
    expect(formatBytes(2.5e9)).toBe("2.5 GB");
  });
});
