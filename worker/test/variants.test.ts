// The server verifies every family and variant: the Fig. 3 networks (dropout and BatchNorm in evaluation
// mode, Adam, the rotated input, the 5-layer net) and the Fig. 6 toy model (no weights, trajectories).
import { describe, expect, it } from "vitest";
import { RunRecordSchema, type RunMeta } from "../../shared/api";
import { toyRunEvidence } from "../../shared/toy/family";
import { fig6PrimalSd } from "../../shared/protocols/toy";
import { postRun } from "./submissions";
import { requestWorkunit } from "./helpers";
import { honestRun, postHonest } from "./submissions";

describe("Fig. 3 variants", () => {
  it.each(["fig3-dropout", "fig3-batchnorm", "fig3-adam-large-lr", "fig3-rotated"])("an honest %s run is accepted", async (id) => {
    const workunit = await requestWorkunit(id);
    const response = await postHonest(honestRun(id, workunit.seed), workunit.token);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, reason: record.reason, message: record.message }).toMatchObject({ status: 201, reason: null });
  });

  it("an honest 5-layer run is accepted (the server's heaviest check, ~15 s of CPU)", async () => {
    const workunit = await requestWorkunit("fig3-deeper");
    const run = honestRun("fig3-deeper", workunit.seed);
    const response = await postHonest(run, workunit.token);
    expect(response.status).toBe(201);
    const record = RunRecordSchema.parse(await response.json());
    expect(record.recomputed).toEqual(run.recomputed);
  }, 180_000);

  it("a dropout run whose replay used other masks is rejected (replay_mismatch)", async () => {
    const workunit = await requestWorkunit("fig3-dropout");
    const run = honestRun("fig3-dropout", workunit.seed);
    const other = honestRun("fig3-dropout", workunit.seed + 1);
    const response = await postHonest(run, workunit.token, { firstLosses: other.meta.firstLosses, lossHistory: [other.meta.firstLosses[0]!, ...run.meta.lossHistory.slice(1)] });
    expect(response.status).toBe(422);
    expect(RunRecordSchema.parse(await response.json()).reason).toBe("replay_mismatch");
  });
});

describe("Fig. 6 toy model", () => {
  const toyMeta = (token: string, seed: number, claimed?: Record<string, number>): RunMeta => {
    const evidence = toyRunEvidence(fig6PrimalSd);
    return {
      token,
      protocolId: fig6PrimalSd.id,
      protocolVersion: fig6PrimalSd.version,
      seed,
      claimed: { ...evidence.claimed, ...claimed },
      firstLosses: [],
      lossHistory: [],
      series: evidence.series,
      environment: { backend: "cpu", tfjsVersion: "4.22.0", client: "cli", userAgent: "test" },
      timings: { trainMs: 5, steps: fig6PrimalSd.toy.steps },
    };
  };

  it("hands out seed 0 only (the run is deterministic) and accepts honest trajectories without weights", async () => {
    const first = await requestWorkunit(fig6PrimalSd.id);
    const second = await requestWorkunit(fig6PrimalSd.id);
    expect([first.seed, second.seed]).toEqual([0, 0]);
    expect(first.datasetUrl).toBeNull();
    const response = await postRun(toyMeta(first.token, 0), new Uint8Array(0));
    expect(response.status).toBe(201);
  });

  it("rejects an inflated end point (claims_mismatch)", async () => {
    const workunit = await requestWorkunit(fig6PrimalSd.id);
    const response = await postRun(toyMeta(workunit.token, 0, { z2s8: 1.9 }), new Uint8Array(0));
    expect(response.status).toBe(422);
    expect(RunRecordSchema.parse(await response.json()).reason).toBe("claims_mismatch");
  });
});
