import { describe, expect, it } from "vitest";
import { ProtocolInfoSchema, type ProtocolInfo } from "../../../shared/api";
import { record, RUN_ID } from "./run-fixture";
import type { RunEvidence } from "../../../shared/board-api";
import { TWO_MOONS_METRICS } from "../../../shared/metrics/two-moons";
import { findProtocol, moonsProtocol } from "../../../shared/protocols/registry";
import { runFiles, WITHHELD_REASON, type EvidenceState } from "./run-files";

const fig1: ProtocolInfo = ProtocolInfoSchema.parse({ protocol: moonsProtocol("fig1-margin-pos"), metrics: TWO_MOONS_METRICS, paramCount: 2001 });
const evidence: RunEvidence = { firstLosses: [0.7], lossHistory: Array.from({ length: 101 }, (_, k) => 1 / (k + 1)), series: {}, timings: { trainMs: 10, steps: 1000 } };
const loaded: EvidenceState = { status: "ok", evidence };

describe("runFiles", () => {
  it("offers weights, checkpoints and evidence of a verified run with exact sizes", () => {
    const files = runFiles(record(), fig1, loaded);
    expect(files.map((f) => [f.kind, f.bytes, f.unavailable])).toEqual([
      ["weights", 2001 * 4, null],
      ["checkpoints", 9 * 4002 * 4, null],
      ["evidence", null, null],
    ]);
    expect(files[0]).toMatchObject({ href: `/api/runs/${RUN_ID}/weights`, filename: `${RUN_ID}-weights.f32`, size: "2,001 float32 values, 8.0 kB (little-endian)" });
    expect(files[2]!.size).toMatch(/^101 losses, 0 series of 0 values, about \d/);
  });

  it("withholds every file while peers replay the run, and serves none of a rejected run", () => {
    const pending = record({ peerReplay: { status: "pending", segmentCount: 10, segments: [] } });
    expect(runFiles(pending, fig1, loaded).map((f) => f.unavailable)).toEqual([WITHHELD_REASON, WITHHELD_REASON, WITHHELD_REASON]);
    const rejected = runFiles(record({ status: "rejected", reason: "malformed" }), fig1, loaded);
    expect(rejected.every((f) => f.unavailable?.includes("rejected"))).toBe(true);
  });

  it("says why the evidence or the checkpoints are missing", () => {
    const files = runFiles(record({ replay: null }), fig1, { status: "unavailable", message: "The server answered 500." });
    expect(files.find((f) => f.kind === "checkpoints")!.unavailable).toMatch(/before its protocol recorded checkpoints/);
    expect(files.find((f) => f.kind === "evidence")!.unavailable).toBe("The server answered 500.");
  });

  it("offers a toy run's evidence only: it has neither weights nor checkpoints", () => {
    const toy = ProtocolInfoSchema.parse({ protocol: findProtocol("fig6-primal-sd"), metrics: [], paramCount: 0 });
    const files = runFiles(record({ protocolId: "fig6-primal-sd", replay: null }), toy, loaded);
    expect(files.map((f) => [f.kind, f.unavailable])).toEqual([["evidence", null]]);
  });
});
