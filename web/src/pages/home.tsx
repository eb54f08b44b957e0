// The front page: what gradient starvation and Spectral Decoupling are, what GS Lab does with a result,
// and links to the figures, the playground and the experiments.
import type { ProtocolInfo } from "../../../shared/api";
import { PLAYGROUND_DEFAULTS } from "../../../shared/protocols/playground";
import { loadProtocols } from "../api";
import { FigureLabel } from "../components/figure-label";
import { formatCount } from "../format";
import { playgroundUrl } from "../playground/playground-url";
import { groupByFigure } from "../protocol-groups";
import { stepCount } from "../recipe";
import { TrustLevels } from "../lab/trust-levels";
import { boardUrl, figureUrl, labUrl, replayUrl } from "../routes";
import { useAsync } from "../use-async";

export function HomePage() {
  const protocols = useAsync(loadProtocols, []);
  return (
    <div class="home">
      <h1>GS Lab: reproduce “Gradient Starvation” in your browser</h1>
      <p class="lede">
        With cross-entropy, an example stops pushing on the network once it is classified with a large margin. A feature that is easy to learn drives
        those margins up first and so <em>starves</em> the other, equally predictive features of gradient: the network ends up relying on a subset of
        what is in the data. Weight decay, Adam, dropout or longer training do not fix this. <strong>Spectral Decoupling</strong> does: it penalises
        the network's outputs, <code>loss += λ·mean(ŷ²)</code>, instead of its weights, which decouples how the features are learned.
      </p>
      <p>
        <a class="button" href={labUrl()} data-testid="go-to-lab">
          Open the Lab and train a run
        </a>{" "}
        <a class="button secondary" href="/leaderboard">
          See the leaderboard
        </a>{" "}
        <a class="button secondary" href={playgroundUrl(PLAYGROUND_DEFAULTS)} data-testid="go-to-playground">
          Play with the two moons
        </a>
      </p>

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">The paper's figures, from verified runs</h2>
        <ul class="figure-links">
          <li>
            <a href={figureUrl("fig2")} data-testid="figure-link-fig2">
              Fig. 2: NTK features
            </a>{" "}
            — the three boundaries, and the seed-mean |z₁| and |z₆| along training: Spectral Decoupling keeps the starved feature growing.
          </li>
          <li>
            <a href={figureUrl("fig3")} data-testid="figure-link-fig3">
              Fig. 3: ten ways to train
            </a>{" "}
            — weight decay, longer training, Adam, rotation, dropout, BatchNorm, depth and SD: only SD curves the boundary.
          </li>
          <li>
            <a href={figureUrl("table1")} data-testid="figure-link-table1">
              Table 1: Colored MNIST
            </a>{" "}
            — ERM, Spectral Decoupling, IRM, REx and the grayscale oracle: the paper's train and test accuracies next to the verified runs'.
          </li>
          <li>
            <a href={figureUrl("fig4")} data-testid="figure-link-fig4">
              Fig. 4: what the Colored-MNIST models look at
            </a>{" "}
            — a verified model's accuracy and entropy on digits and blank images, in grayscale and in colour, computed in your browser.
          </li>
          <li>
            <a href={figureUrl("fig6")} data-testid="figure-link-fig6">
              Fig. 6: the two-feature toy model
            </a>{" "}
            — computed live in your browser: under cross-entropy the strong feature starves the weak one; under SD it does not.
          </li>
          <li>
            <a href={playgroundUrl(PLAYGROUND_DEFAULTS)}>The playground</a> — the authors' blog demo made real: move the margin, pick a regulariser,
            watch the boundary and the NTK features train, and share what you find (explorations never count on the leaderboard).
          </li>
        </ul>
      </section>

      <section aria-labelledby="how-heading">
        <h2 id="how-heading">What happens to your result</h2>
        <ol>
          <li>The server hands out a workunit: an experiment and a seed it chose (so nobody can cherry-pick seeds), with a single-use token.</li>
          <li>
            Your browser downloads the exact dataset (checked against its SHA-256), builds the network from seeded initial weights and trains it with
            TensorFlow.js on your GPU (WebGPU or WebGL) or CPU (WebAssembly), in a background worker.
          </li>
          <li>
            You submit the final weights and the loss history. The server <strong>recomputes every metric from your weights</strong> on its own copy
            of the data and <strong>replays the first training steps</strong> from the same initial weights. Only runs that match are accepted.
          </li>
          <li>
            Where a run costs the server too much to replay (Colored MNIST, Fig. 3's longest and deepest), other contributors' browsers replay drawn
            segments of it on the <a href={replayUrl()}>Replay page</a>; until they have, the run is <em>pending</em> and counts nowhere.
          </li>
          <li>The leaderboard averages accepted runs over seeds and checks the paper's claims against them.</li>
        </ol>
        <TrustLevels />
      </section>

      <section aria-labelledby="experiments-heading">
        <h2 id="experiments-heading">The experiments</h2>
        {protocols.status === "ok" ? <ExperimentList protocols={protocols.data} /> : protocols.status === "loading" ? <p class="muted">Loading…</p> : null}
      </section>

      <section aria-labelledby="paper-heading">
        <h2 id="paper-heading">The paper</h2>
        <p class="citation">
          Mohammad Pezeshki, Sékou-Oumar Kaba, Yoshua Bengio, Aaron Courville, Doina Precup, Guillaume Lajoie.{" "}
          <cite>Gradient Starvation: A Learning Proclivity in Neural Networks.</cite> NeurIPS 2021.{" "}
          <a href="https://arxiv.org/abs/2011.09468" rel="noopener">
            arXiv:2011.09468
          </a>
          . Where the paper's text and the authors' code differ, GS Lab follows the code, which produced the published figures, and says so.
        </p>
      </section>
    </div>
  );
}

/** A figure's name, linking to its figure pages where it has them. */
function FigureHeading({ figure }: { readonly figure: string }) {
  return (
    <h3>
      <FigureLabel label={figure} />
    </h3>
  );
}

function ExperimentList({ protocols }: { readonly protocols: readonly ProtocolInfo[] }) {
  return (
    <>
      {groupByFigure(protocols, (p) => p.protocol.figure).map((group) => (
        <div key={group.figure}>
          <FigureHeading figure={group.figure} />
          <ul class="experiments">
            {group.items.map(({ protocol: p }) => (
              <li key={p.id}>
                <a href={labUrl({ protocol: p.id })}>{p.title}</a> <span class="muted">({formatCount(stepCount(p))} steps)</span> ·{" "}
                <a href={boardUrl(p.id)}>results</a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
