// The application shell: header navigation, the page of the current route, and the footer citation.
import { useEffect } from "preact/hooks";
import { FigureTwoPage } from "./figures/fig2-page";
import { FigureThreePage } from "./figures/fig3-page";
import { FigureFourPage } from "./figures/fig4-page";
import { FigureSixPage } from "./figures/fig6-page";
import { TableOnePage } from "./figures/table1-page";
import { BenchPage } from "./pages/bench";
import { BoardPage } from "./pages/board";
import { ContributorPage } from "./pages/contributor";
import { HomePage } from "./pages/home";
import { LabPage } from "./pages/lab";
import { LeaderboardPage } from "./pages/leaderboard";
import { ReplayPage } from "./pages/replay";
import { RunPage } from "./pages/run";
// ---- run and compare pages ----
import { ComparePage } from "./pages/compare";
// ----
import { PlaygroundPage } from "./playground/playground-page";
import { playgroundUrl } from "./playground/playground-url";
import { PLAYGROUND_DEFAULTS } from "../../shared/protocols/playground";
import { interceptLinks, useRoute } from "./router";
import type { Route } from "./routes";
// ---- benchmarks ----
import { BenchmarkComparePage, BenchmarkPage, BenchmarksPage } from "./pages/benchmarks";
// ---- end benchmarks ----

const TITLES: Record<Route["page"], string> = {
  home: "GS Lab — reproduce Gradient Starvation in your browser",
  lab: "Lab — GS Lab",
  leaderboard: "Leaderboard — GS Lab",
  board: "Results — GS Lab",
  contributor: "Contributor — GS Lab",
  run: "Run — GS Lab",
  compare: "Compare runs — GS Lab",
  replay: "Replay others' runs — GS Lab",
  bench: "Benchmark — GS Lab",
  fig2: "Fig. 2: NTK features — GS Lab",
  fig3: "Fig. 3: ten ways to train — GS Lab",
  table1: "Table 1: Colored MNIST — GS Lab",
  fig4: "Fig. 4: what the Colored-MNIST models look at — GS Lab",
  fig6: "Fig. 6: the toy model — GS Lab",
  playground: "Playground — GS Lab",
  // ---- benchmarks ----
  benchmarks: "Benchmark board — GS Lab",
  benchmark: "Benchmark result — GS Lab",
  "benchmarks-compare": "Two benchmark results — GS Lab",
  // ---- end benchmarks ----
  "not-found": "Not found — GS Lab",
};

function Page({ route }: { readonly route: Route }) {
  switch (route.page) {
    case "home":
      return <HomePage />;
    case "lab":
      return <LabPage params={route.params} />;
    case "leaderboard":
      return <LeaderboardPage params={route.params} />;
    case "board":
      return <BoardPage protocolId={route.protocolId} params={route.params} />;
    case "contributor":
      return <ContributorPage contributorId={route.contributorId} cursor={route.cursor} />;
    case "run":
      return <RunPage runId={route.runId} />;
    case "compare":
      return <ComparePage runs={route.runs} />;
    case "replay":
      return <ReplayPage backend={route.backend} />;
    case "bench":
      return <BenchPage params={route.params} />;
    case "fig2":
      return <FigureTwoPage components={route.components} />;
    case "fig3":
      return <FigureThreePage />;
    case "table1":
      return <TableOnePage />;
    case "fig4":
      return <FigureFourPage picked={route.runs} />;
    case "fig6":
      return <FigureSixPage />;
    case "playground":
      return <PlaygroundPage route={route.params} />;
    // ---- benchmarks ----
    case "benchmarks":
      return <BenchmarksPage query={route.query} />;
    case "benchmark":
      return <BenchmarkPage id={route.id} />;
    case "benchmarks-compare":
      return <BenchmarkComparePage a={route.a} b={route.b} />;
    // ---- end benchmarks ----
    case "not-found":
      return (
        <div>
          <h1>Page not found</h1>
          <p>
            There is nothing at <code>{route.path}</code>. Go to the <a href="/">home page</a>.
          </p>
        </div>
      );
  }
}

const NAV: ReadonlyArray<{ href: string; label: string; pages: ReadonlyArray<Route["page"]> }> = [
  { href: "/lab", label: "Lab", pages: ["lab"] },
  { href: playgroundUrl(PLAYGROUND_DEFAULTS), label: "Playground", pages: ["playground"] },
  { href: "/leaderboard", label: "Leaderboard", pages: ["leaderboard", "board", "contributor", "run", "compare", "fig2", "fig3", "table1", "fig4", "fig6"] },
  { href: "/replay", label: "Replay others' runs", pages: ["replay"] },
  // The benchmark board; running the suite on this browser (/bench) is one click from it.
  { href: "/benchmarks", label: "Benchmarks", pages: ["bench", "benchmarks", "benchmark", "benchmarks-compare"] },
];

/** Pages keep their state across query edits (the Lab's selects, the playground's sliders), not across pages. */
function pageKey(route: Route): string {
  if (route.page === "board") return `board:${route.protocolId}`;
  if (route.page === "run") return `run:${route.runId}`;
  if (route.page === "contributor") return `contributor:${route.contributorId}`;
  if (route.page === "playground") return `playground:${route.params.exploration ?? "live"}`;
  return route.page;
}

export function App() {
  const route = useRoute();
  useEffect(() => interceptLinks(), []);
  useEffect(() => {
    // The Lab names its protocol in the title itself.
    if (route.page !== "lab") document.title = TITLES[route.page];
  }, [route.page]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <nav aria-label="Main">
          <a class="brand" href="/" aria-current={route.page === "home" ? "page" : undefined}>
            GS Lab
          </a>
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.pages.includes(route.page) ? "page" : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Keyed by page so each page starts fresh, while query edits (e.g. the Lab's selects) keep it. */}
        <Page route={route} key={pageKey(route)} />
      </main>
      <footer class="site-footer">
        <p>
          Reproducing Pezeshki et al., “Gradient Starvation: A Learning Proclivity in Neural Networks”, NeurIPS 2021 (
          <a href="https://arxiv.org/abs/2011.09468" rel="noopener">
            arXiv:2011.09468
          </a>
          ). Results are verified by the server before they are listed.
        </p>
      </footer>
    </>
  );
}
