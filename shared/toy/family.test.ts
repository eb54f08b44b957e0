import { describe, expect, it } from "vitest";
import { RunMetaSchema, type RunMeta } from "../api";
import { verifySubmission } from "../metrics/verify-run";
import { familyOf } from "../protocols/families";
import { findProtocol } from "../protocols/registry";
import { fig6Dual, fig6PrimalSd, fig6PrimalWeightDecay, TOY_PROTOCOLS } from "../protocols/toy";
import type { ToyProtocol } from "../protocols/types";
import { toyFamily, toyRunEvidence } from "./family";

const NO_WEIGHTS = new Uint8Array(0);

function honestMeta(protocol: ToyProtocol): RunMeta {
  return {
    token: "t".repeat(43),
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: 0,
    ...toyRunEvidence(protocol),
    environment: { backend: "cpu", tfjsVersion: "4.22.0", client: "web", userAgent: "vitest" },
    timings: { trainMs: 20, steps: protocol.toy.steps },
  };
}

const submit = (protocol: ToyProtocol, meta: RunMeta, weights = NO_WEIGHTS) => verifySubmission({ protocol, seed: 0 }, meta, weights);

describe("the toy-dynamics protocols", () => {
  it("are registered, frozen, with the authors' recipes", () => {
    expect(findProtocol("fig6-dual")).toMatchObject({ family: "toy-dynamics", seeding: "deterministic", toy: { solver: "dual", lr: 3e-6, coefficient: 1e-8, C: 100, steps: 5000 } });
    expect(findProtocol("fig6-primal-wd")).toMatchObject({ toy: { solver: "primal-wd", lr: 0.05, coefficient: 0.005, s2: 2, delta: 0.5 } });
    expect(findProtocol("fig6-primal-sd")).toMatchObject({ toy: { solver: "primal-sd", lr: 0.05, coefficient: 0.001, s1Values: [2, 3, 4, 5, 6, 8] } });
    for (const protocol of TOY_PROTOCOLS) {
      expect(findProtocol(protocol.id)).toBe(protocol);
      expect(Object.isFrozen(protocol.toy.s1Values)).toBe(true);
    }
  });

  it("have one metric per s1 and component, and claims that name them and hold", () => {
    expect(toyFamily.metrics(fig6Dual).map((m) => m.key)).toEqual(["z1s2", "z2s2", "z1s3", "z2s3", "z1s4", "z2s4", "z1s5", "z2s5", "z1s6", "z2s6", "z1s8", "z2s8"]);
    expect(familyOf(fig6Dual).paramCount(fig6Dual)).toBe(0);
    const claimed = new Map(TOY_PROTOCOLS.map((p) => [p.id, toyRunEvidence(p).claimed]));
    for (const protocol of TOY_PROTOCOLS) {
      for (const claim of protocol.claims) {
        const mine = claimed.get(protocol.id)![claim.metric]!;
        const other = claimed.get(claim.otherProtocolId)![claim.metric]!;
        expect(claim.relation === "<" ? mine < other : mine > other).toBe(true);
      }
    }
  });
});

describe("toyFamily.verify, through verifySubmission", () => {
  it("accepts an honest body, which the API schema accepts too", () => {
    for (const protocol of [fig6Dual, fig6PrimalWeightDecay, fig6PrimalSd]) {
      const meta = honestMeta(protocol);
      expect(RunMetaSchema.safeParse(JSON.parse(JSON.stringify(meta))).success).toBe(true);
      const verdict = submit(protocol, meta);
      expect(verdict).toMatchObject({ status: "accepted", grid: null });
      expect(verdict.recomputed).toEqual(meta.claimed);
    }
  });

  it("accepts values within 1e-4 of the recomputation", () => {
    const meta = honestMeta(fig6PrimalSd);
    meta.claimed.z2s8 = meta.claimed.z2s8! + 5e-5;
    meta.series!.z1s3![40] = meta.series!.z1s3![40]! - 5e-5;
    expect(submit(fig6PrimalSd, meta).status).toBe("accepted");
  });

  it("rejects inflated claims with claims_mismatch", () => {
    const meta = honestMeta(fig6PrimalWeightDecay);
    meta.claimed.z2s8 = meta.claimed.z2s8! + 0.01;
    expect(submit(fig6PrimalWeightDecay, meta)).toMatchObject({ status: "rejected", reason: "claims_mismatch" });
  });

  it("rejects a doctored trajectory with evidence_mismatch, naming the step", () => {
    const meta = honestMeta(fig6Dual);
    meta.series!.z2s4![60] = meta.series!.z2s4![60]! + 1e-3;
    const verdict = submit(fig6Dual, meta);
    expect(verdict).toMatchObject({ status: "rejected", reason: "evidence_mismatch" });
    expect(verdict.message).toContain("z2s4 at step 3000");
  });

  it("rejects wrong shapes with evidence_shape (or claims_shape for the claims)", () => {
    const cases: [string, (meta: RunMeta) => void, string][] = [
      ["missing series", (meta) => delete meta.series, "evidence_shape"],
      ["a series too short", (meta) => meta.series!.z1s5!.pop(), "evidence_shape"],
      ["a series missing", (meta) => delete meta.series!.z2s6, "evidence_shape"],
      ["an extra series", (meta) => (meta.series!.z1s7 = meta.series!.z1s6!), "evidence_shape"],
      ["a loss history", (meta) => meta.lossHistory.push(0.1), "evidence_shape"],
      ["first losses", (meta) => meta.firstLosses.push(0.1), "evidence_shape"],
      ["other steps", (meta) => (meta.timings = { trainMs: 1, steps: 4000 }), "evidence_shape"],
      ["a claim missing", (meta) => delete meta.claimed.z1s2, "claims_shape"],
      ["a null claim", (meta) => (meta.claimed.z1s2 = null), "claims_shape"],
    ];
    for (const [, doctor, reason] of cases) {
      const meta = honestMeta(fig6PrimalSd);
      doctor(meta);
      expect(submit(fig6PrimalSd, meta)).toMatchObject({ status: "rejected", reason });
    }
  });

  it("leaves non-empty weights to the generic check (weights_shape)", () => {
    expect(submit(fig6PrimalSd, honestMeta(fig6PrimalSd), new Uint8Array(8))).toMatchObject({ status: "rejected", reason: "weights_shape" });
  });
});
