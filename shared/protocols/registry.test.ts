import { describe, expect, it } from "vitest";
import { LIMITS, ProtocolSchema } from "../api";
import { checkpointLayout } from "../metrics/trajectory";
import { isPeerReplayed } from "../metrics/peer-replay";
import type { CmnistProtocol } from "./colored-mnist";
import { familyOf, isCmnist, isMoons } from "./families";
import { findProtocol, moonsProtocol, PROTOCOLS } from "./registry";

describe("protocol registry", () => {
  it("holds the paper's Fig. 1 and Fig. 2 runs with their recipes", () => {
    expect(findProtocol("fig1-margin-neg")).toMatchObject({ data: { margin: -0.1 }, training: { steps: 1000, sdCoef: 0, optimizer: { lr: 0.01, momentum: 0.9, weightDecay: 0 } } });
    expect(findProtocol("fig1-margin-pos")).toMatchObject({ data: { margin: 0.1 }, training: { steps: 1000 } });
    expect(findProtocol("fig2-margin-neg")).toMatchObject({ data: { margin: -0.1 }, training: { steps: 10_000, sdCoef: 0, optimizer: { weightDecay: 2e-4 } } });
    expect(findProtocol("fig2-margin-pos")).toMatchObject({ data: { margin: 0.1 }, training: { steps: 10_000, sdCoef: 0, optimizer: { weightDecay: 2e-4 } } });
    expect(findProtocol("fig2-margin-pos-sd")).toMatchObject({ data: { margin: 0.1 }, training: { steps: 10_000, sdCoef: 0.003, optimizer: { weightDecay: 2e-4 } } });
    for (const id of ["fig1-margin-neg", "fig1-margin-pos", "fig2-margin-neg", "fig2-margin-pos", "fig2-margin-pos-sd"]) {
      expect(moonsProtocol(id).model).toEqual({ layerSizes: [2, 500, 1] });
    }
  });

  it("is frozen, valid against the API schema, and every claim points at a known protocol and metric", () => {
    for (const p of PROTOCOLS) {
      expect(Object.isFrozen(p) && Object.values(p).every((v) => typeof v !== "object" || Object.isFrozen(v))).toBe(true);
      expect(ProtocolSchema.safeParse(p).success).toBe(true);
      for (const claim of p.claims) {
        expect(findProtocol(claim.otherProtocolId)).toBeDefined();
        expect(familyOf(p).metrics(p).map((m) => m.key)).toContain(claim.metric);
      }
    }
    expect(findProtocol("no-such-protocol")).toBeUndefined();
  });

  it("keeps two-moons checkpoints on history steps, and every honest submission with checkpoints under the request limit", () => {
    for (const p of PROTOCOLS) {
      if (!isMoons(p) && !isCmnist(p)) continue;
      const layout = checkpointLayout(p);
      if (!layout) continue;
      if (isMoons(p)) expect(p.evidence.checkpointEvery! % p.evidence.historyEvery).toBe(0);
      const bytes = 4 * (layout.weights + layout.steps.length * layout.size) + LIMITS.metaBytes;
      expect(bytes, p.id).toBeLessThanOrEqual(LIMITS.requestBytes);
    }
    const peers = PROTOCOLS.filter(isPeerReplayed).map((p) => p.id);
    expect(peers.filter((id) => !id.startsWith("cmnist-"))).toEqual(["fig3-longer", "fig3-deeper"]);
    // Every Colored-MNIST protocol, paper and reduced: three segments, the last one step (or two) long.
    expect(PROTOCOLS.filter(isCmnist).every((p) => peers.includes(p.id) && checkpointLayout(p)!.steps.length === 2)).toBe(true);
    expect(checkpointLayout(findProtocol("cmnist-erm") as CmnistProtocol)).toMatchObject({ weights: 208_501, optimizerState: 417_002, steps: [500, 1000] });
  });
});
