// /playground: the authors' blog demo made real — pick the margin, regulariser and learning rate, then play,
// pause or step a real 2-500-1 network in a worker, watching its decision boundary, the NTK features |z_1|
// and |z_6| and the loss; "Save & share" stores the result as an exploration (?exploration=<id>).
import { useMemo, useState } from "preact/hooks";
import { playgroundProtocol, type PlaygroundParams } from "../../../shared/protocols/playground";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import { ErrorBox } from "../components/status";
import { describeError } from "../errors";
import { COMPONENT_COLORS } from "../figures/ntk-series";
import { formatCount, formatLoss, formatRate } from "../format";
import { Heatmap } from "../plots/heatmap";
import { LinePlot } from "../plots/line-plot";
import { logLossAxis } from "../plots/line-plot-draw";
import { describeOptimizer, describeSd } from "../recipe";
import { ExplorationView } from "./exploration-view";
import { LIVE_COMPONENTS } from "./playground-messages";
import { canSave, type Curve, type PlaygroundState } from "./playground-state";
import { explorationUrl, type PlaygroundRoute } from "./playground-url";
import { goToSettings, ParamControls } from "./param-controls";
import { SavedExplorationsPanel } from "./saved-explorations-panel";
import { usePlayground } from "./use-playground";

/** The settings in a few words: "Δ = 0.10, Spectral Decoupling λ = 0.003, lr 0.01, seed 0". */
export function describeSettings(params: PlaygroundParams): string {
  const regulariser = params.regularizer === "none" ? "no regulariser" : `${params.regularizer === "sd" ? "Spectral Decoupling" : "weight decay"} λ = ${params.lambda}`;
  return `Δ = ${params.margin.toFixed(2)}, ${regulariser}, lr ${params.lr}, seed ${params.seed}`;
}

/** Steps taken by one press of "Step". */
const STEP_SIZE = 10;

export function PlaygroundPage({ route }: { readonly route: PlaygroundRoute }) {
  return route.exploration ? <ExplorationView id={route.exploration} /> : <LivePlayground params={route.params} />;
}

/** The |z| and loss curves, x from 0 to the current step. */
function CurvesFigure({ loss, features, step }: { readonly loss: Curve; readonly features: readonly [Curve, Curve]; readonly step: number }) {
  const xMax = Math.max(step, 100);
  const zMax = Math.max(1e-6, ...features.flatMap((c) => c.values)) * 1.05;
  return (
    <>
      <figure>
        <LinePlot
          series={features.map((c, k) => ({ x: c.steps, y: c.values, color: COMPONENT_COLORS[k]! }))}
          x={{ min: 0, max: xMax, label: "step" }}
          y={{ min: 0, max: zMax, label: "|z_k|" }}
          label={`The NTK features |z_${LIVE_COMPONENTS[0]}| and |z_${LIVE_COMPONENTS[1]}| against the training step.`}
          legend={LIVE_COMPONENTS.map((k, slot) => ({ label: `|z${k}|`, color: COMPONENT_COLORS[slot]! }))}
          testId="playground-features"
          aspect={0.55}
        />
        <figcaption>|z_k| = |(ŷᵀU)_k|, U the eigenvectors of the kernel at this seed's initial weights (as in Fig. 2).</figcaption>
      </figure>
      <figure>
        <LinePlot
          series={[{ x: loss.steps, y: loss.values, color: "#0365C0" }]}
          x={{ min: 0, max: xMax, label: "step" }}
          y={logLossAxis(loss.values)}
          label="Training loss against the step, log scale."
          testId="playground-loss"
          aspect={0.55}
        />
        <figcaption>Training loss (cross-entropy + SD penalty, every 10 steps).</figcaption>
      </figure>
    </>
  );
}

const STATUS_WORDS: Readonly<Record<PlaygroundState["status"], string>> = {
  starting: "Starting the session.",
  paused: "Paused.",
  playing: "Training.",
  finished: "Finished: the session reached its last step.",
  error: "",
};

function StatusLine({ state }: { readonly state: PlaygroundState }) {
  const loss = state.loss.values.at(-1);
  const text =
    state.status === "starting"
      ? "Starting the backend and computing the kernel's eigenvectors…"
      : `${state.status === "playing" ? "Training" : state.status === "finished" ? "Finished" : "Paused"} at step ${formatCount(state.step)}${loss !== undefined ? ` · loss ${formatLoss(loss)}` : ""}${state.status === "playing" && state.stepsPerSecond ? ` · ${formatRate(state.stepsPerSecond)} steps/s` : ""}`;
  return (
    <p class="progress-text" data-testid="playground-status" data-status={state.status} data-step={state.step}>
      {text}
      {state.backend && (
        <span class="muted">
          {" "}
          · on <strong>{state.backend.name}</strong>
          {state.backend.adapter ? ` (${state.backend.adapter})` : ""}
        </span>
      )}
    </p>
  );
}

function LivePlayground({ params }: { readonly params: PlaygroundParams }) {
  const { state, command, reset, save, replaced } = usePlayground(params, "auto");
  const [title, setTitle] = useState("");
  const protocol = playgroundProtocol(params, 1);
  const points = useMemo(() => twoMoonsFamily.dataset(protocol, params.seed), [params.margin, params.seed]);
  const running = state.status === "playing";
  const ready = state.status === "paused" || state.status === "playing";

  return (
    <div class="playground">
      <h1>Playground</h1>
      <p class="lede">
        The authors' blog demo, made real: a 2-500-1 ReLU network on the two moons, trained in your browser. Open a gap between the moons and watch
        the boundary straighten as gradient starvation sets in; switch on Spectral Decoupling and watch it curve. Everything is in the address bar:
        share it to share the settings.
      </p>
      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <ParamControls params={params} />
        <p class="muted">
          {describeOptimizer(protocol.training.optimizer)}; Spectral Decoupling: {describeSd(protocol.training.sdCoef)}. Changing a setting starts
          a new session from step 0; the previous one is paused and kept: Undo, or your browser's Back, returns to it where it was.
        </p>
        {replaced && (
          <p class="notice notice-info undo-note" data-testid="undo-note">
            New settings, new session from step 0. The previous one ({describeSettings(replaced.params)}) is paused at step{" "}
            {formatCount(replaced.step)}.{" "}
            <button type="button" class="secondary" data-testid="undo-button" onClick={() => goToSettings(replaced.params)}>
              Undo: back to step {formatCount(replaced.step)}
            </button>
          </p>
        )}
        <div class="actions">
          <button type="button" data-testid="play-button" disabled={!ready} onClick={() => command({ type: running ? "pause" : "play" })}>
            {running ? "Pause" : "Play"}
          </button>
          <button
            type="button"
            class="secondary"
            data-testid="step-button"
            disabled={state.status !== "paused"}
            onClick={() => command({ type: "step", steps: STEP_SIZE })}
          >
            Step {STEP_SIZE}
          </button>
          <button
            type="button"
            class="secondary"
            data-testid="reset-button"
            onClick={() => {
              // Starting over loses the steps trained: ask first (Save & share keeps them).
              if (state.step === 0 || window.confirm(`Start over from step 0? The ${formatCount(state.step)} steps trained so far are lost (Save & share keeps them).`)) reset();
            }}
          >
            Reset
          </button>
        </div>
        <StatusLine state={state} />
        {/* Said once per change of status, not at every step the line above shows. */}
        <p class="visually-hidden" aria-live="polite">
          {STATUS_WORDS[state.status]}
        </p>
      </section>
      {state.status === "error" && state.error && <ErrorBox error={state.error} onRetry={reset} retryLabel="Start over" />}

      <div class="figures playground-figures">
        <figure>
          <Heatmap
            grid={state.grid}
            points={points}
            label={`Decision function at step ${state.gridStep ?? 0}: red where the network predicts class 0, blue for class 1; the black line is the boundary.`}
            testId="playground-heatmap"
            step={state.gridStep}
          />
          <figcaption>Network output over [−2, 2]² at step {formatCount(state.gridStep ?? 0)}; black line: the decision boundary.</figcaption>
        </figure>
        <CurvesFigure loss={state.loss} features={state.features} step={state.step} />
      </div>

      <section class="panel" aria-labelledby="save-heading">
        <h2 id="save-heading">Save &amp; share</h2>
        <p>
          Saves these settings, the current weights and the loss history; the server recomputes the metrics from the weights. Explorations are for
          sharing what you found: <strong>they never count toward any protocol's leaderboard.</strong> Pause first.
        </p>
        <div class="controls">
          <label>
            Title <span class="muted">(optional)</span>
            <input type="text" data-testid="exploration-title" maxLength={80} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
          <button type="button" data-testid="save-button" disabled={!canSave(state)} onClick={() => void save(title)}>
            {state.save.status === "saving" ? "Saving…" : "Save & share"}
          </button>
        </div>
        {state.save.status === "saved" && (
          <p class="notice notice-ok" data-testid="save-outcome" role="status">
            Saved at step {formatCount(state.save.exploration.steps)}. Share this link:{" "}
            <a href={explorationUrl(state.save.exploration.id)} data-testid="exploration-link">
              {window.location.origin}
              {explorationUrl(state.save.exploration.id)}
            </a>
          </p>
        )}
        {state.save.status === "error" && (
          <p class="notice notice-error" role="alert">
            {describeError(state.save.error).title} {describeError(state.save.error).detail}
          </p>
        )}
      </section>
      <SavedExplorationsPanel version={state.save.status === "saved" ? state.save.exploration.id : ""} />
    </div>
  );
}
