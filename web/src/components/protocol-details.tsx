// A protocol as a reader needs it: what it reproduces (summary, paper reference, where GS Lab follows the
// authors' code) and the recipe (data, network, steps, optimiser, Spectral Decoupling, weight decay).
import type { ProtocolInfo } from "../../../shared/api";
import { formatCount } from "../format";

export function ProtocolDetails({ info }: { readonly info: ProtocolInfo }) {
  const p = info.protocol;
  const o = p.training.optimizer;
  return (
    <div class="protocol-details" data-testid="protocol-details">
      <p>{p.summary}</p>
      <dl class="facts">
        <dt>Paper</dt>
        <dd>{p.paperRef}</dd>
        <dt>Data</dt>
        <dd>
          {p.data.nSamples} two-moons points, noise {p.data.noise}, margin Δ = {p.data.margin}
          {p.data.rotationDegrees ? `, rotated ${p.data.rotationDegrees}°` : ""}
        </dd>
        <dt>Network</dt>
        <dd>
          {p.model.layerSizes.join("–")} ReLU MLP ({formatCount(info.paramCount)} parameters)
        </dd>
        <dt>Steps</dt>
        <dd>{formatCount(p.training.steps)} full-batch steps</dd>
        <dt>Optimizer</dt>
        <dd>
          SGD, learning rate {o.lr}, momentum {o.momentum}
        </dd>
        <dt>Weight decay</dt>
        <dd>{o.weightDecay === 0 ? "none" : o.weightDecay}</dd>
        <dt>Spectral Decoupling</dt>
        <dd>{p.training.sdCoef === 0 ? "none (plain cross-entropy)" : `loss += ${p.training.sdCoef}·mean(ŷ²)`}</dd>
        <dt>Verification</dt>
        <dd>
          the server replays the first {p.evidence.replaySteps} steps and recomputes every metric from your weights
        </dd>
      </dl>
      {p.codeNote && (
        <p class="code-note">
          <strong>Following the authors' code:</strong> {p.codeNote}
        </p>
      )}
    </div>
  );
}
