// A protocol as a reader needs it: what it reproduces (summary, paper reference, where GS Lab follows the
// authors' code) and the recipe — data, network, optimiser, Spectral Decoupling, steps for two-moons runs;
// the features, solver and s1 values for the toy model; environments, objective and network for Colored
// MNIST — and how the server checks a run.
import type { ProtocolInfo } from "../../../shared/api";
import { CMNIST_VERIFY_SUBSET } from "../../../shared/metrics/cmnist-verify";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import type { MoonsProtocol, ToyProtocol } from "../../../shared/protocols/types";
import { formatCount } from "../format";
import {
  cmnistFlopsPerStep,
  describeCmnistData,
  describeCmnistNetwork,
  describeCmnistObjective,
  describeData,
  describeNetwork,
  describeOptimizer,
  describeSd,
  describeSteps,
  describeToySolver,
  flopsPerStep,
  formatFlops,
} from "../recipe";

function MoonsRecipe({ protocol: p, paramCount }: { readonly protocol: MoonsProtocol; readonly paramCount: number }) {
  return (
    <>
      <dt>Data</dt>
      <dd>{describeData(p)}</dd>
      <dt>Network</dt>
      <dd>
        {describeNetwork(p.model)} ({formatCount(paramCount)} parameters)
      </dd>
      <dt>Optimizer</dt>
      <dd>{describeOptimizer(p.training.optimizer)}</dd>
      <dt>Spectral Decoupling</dt>
      <dd>{describeSd(p.training.sdCoef)}</dd>
      <dt>Steps</dt>
      <dd>
        {describeSteps(p)} (≈{formatFlops(flopsPerStep(p))} per step)
      </dd>
      <dt>Verification</dt>
      <dd>
        the server replays the first {p.evidence.replaySteps} steps and recomputes every metric from your weights
        {p.evidence.ntkEvery !== undefined && `; it also checks the NTK features |z| you record every ${p.evidence.ntkEvery} steps`}
      </dd>
    </>
  );
}

function ToyRecipe({ protocol: p }: { readonly protocol: ToyProtocol }) {
  const t = p.toy;
  return (
    <>
      <dt>Model</dt>
      <dd>
        two features Φ = U·diag(s1, s2 = {t.s2})·V, U a rotation by asin({t.delta}), labels y = [+1, +1]; z = Uᵀ(y ⊙ ŷ)
      </dd>
      <dt>Solver</dt>
      <dd>{describeToySolver(p)}</dd>
      <dt>Steps</dt>
      <dd>
        {describeSteps(p)}, s1 ∈ {"{"}
        {t.s1Values.join(", ")}
        {"}"}; computed in float64 in a fraction of a second
      </dd>
      <dt>Verification</dt>
      <dd>the server recomputes every trajectory and compares your |z| every {p.evidence.trajectoryEvery} steps and at the end</dd>
    </>
  );
}

function CmnistRecipe({ protocol: p, paramCount }: { readonly protocol: CmnistProtocol; readonly paramCount: number }) {
  return (
    <>
      {p.reduced && (
        <>
          <dt>Not the paper's protocol</dt>
          <dd data-testid="reduced-note">{p.reduced.note}</dd>
        </>
      )}
      <dt>Data</dt>
      <dd>{describeCmnistData(p)}</dd>
      <dt>Network</dt>
      <dd>
        {describeCmnistNetwork(p)} ({formatCount(paramCount)} parameters)
      </dd>
      <dt>Objective</dt>
      <dd>{describeCmnistObjective(p)}</dd>
      <dt>Optimizer</dt>
      <dd>{describeOptimizer(p.training.optimizer)}</dd>
      <dt>Steps</dt>
      <dd>
        {describeSteps(p)} (≈{formatFlops(cmnistFlopsPerStep(p))} per step)
      </dd>
      <dt>Verification</dt>
      <dd>
        the server rebuilds restart r's environments from the seed and recomputes the test accuracy on the whole test environment and the train accuracy on{" "}
        {formatCount(CMNIST_VERIFY_SUBSET.trainSize)} training images it picks at random, from your weights
      </dd>
    </>
  );
}

export function ProtocolDetails({ info }: { readonly info: ProtocolInfo }) {
  const p = info.protocol;
  return (
    <div class="protocol-details" data-testid="protocol-details">
      <p>{p.summary}</p>
      <dl class="facts">
        <dt>Paper</dt>
        <dd>{p.paperRef}</dd>
        {p.family === "two-moons" ? (
          <MoonsRecipe protocol={p} paramCount={info.paramCount} />
        ) : p.family === "colored-mnist" ? (
          <CmnistRecipe protocol={p} paramCount={info.paramCount} />
        ) : (
          <ToyRecipe protocol={p} />
        )}
      </dl>
      {p.codeNote && (
        <p class="code-note">
          <strong>Following the authors' code:</strong> {p.codeNote}
        </p>
      )}
    </div>
  );
}
