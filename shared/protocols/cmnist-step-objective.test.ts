// Why: pins the Colored-MNIST objective schedules to the scripts' (SD's anneal, IRM's and REx's penalty weight and rescaling).
import { describe, expect, it } from "vitest";
import { cmnistIrm, cmnistRex, cmnistSd } from "./colored-mnist";
import { objectiveAt } from "./cmnist-step-objective";

describe("objectiveAt", () => {
  it("follows the scripts' schedules", () => {
    expect(objectiveAt(cmnistSd.training, 449)).toEqual({ kind: "pooled", bce: 1, sd: 2e-5 });
    expect(objectiveAt(cmnistSd.training, 450)).toEqual({ kind: "pooled", bce: 2e-5, sd: 2e-5 });
    expect(objectiveAt(cmnistIrm.training, 189)).toEqual({ kind: "irm", risk: 0.5, penalty: 0.5, l2: 1.10794568e-3 });
    const p = 91257.18613115903;
    const late = objectiveAt(cmnistIrm.training, 190);
    expect(late).toEqual({ kind: "irm", risk: 0.5 / p, penalty: 0.5 * p * (1 / p), l2: 1.10794568e-3 / p });
    expect(objectiveAt(cmnistRex.training, 0)).toEqual({ kind: "rex", risk: 1, penalty: 1, l2: 1.10794568e-3 });
    expect(objectiveAt(cmnistRex.training, 500)).toMatchObject({ kind: "rex", risk: 1 / p });
  });
});
