// /compare?runs=a,b,…: two to eight runs side by side. The runs live in the URL; this page adds and removes
// them (by id, or from the newest runs of a compared protocol), loads each on its own so that one unknown id
// is reported without hiding the others, says when runs of different experiment families are mixed, and
// compares whatever can be compared.
import { useState } from "preact/hooks";
import { api, loadProtocols } from "../api";
import { CompareView, RUN_COLORS, type ComparedBundle } from "../compare/compare-view";
import { ErrorBox, Loading } from "../components/status";
import { describeError } from "../errors";
import { navigate } from "../router";
import { COMPARE_MAX_RUNS, RUN_ID, compareUrl, runUrl, type CompareRuns } from "../routes";
import { loadRunBundle } from "../run-page/run-bundle";
import { useAsync } from "../use-async";

type Loaded = { readonly id: string; readonly bundle: ComparedBundle } | { readonly id: string; readonly error: unknown };

async function loadAll(ids: readonly string[]): Promise<Loaded[]> {
  const protocols = await loadProtocols();
  return Promise.all(
    ids.map(async (id, k): Promise<Loaded> => {
      try {
        const bundle = await loadRunBundle(id, protocols);
        return { id, bundle: { ...bundle, color: RUN_COLORS[k % RUN_COLORS.length]!, name: `#${k + 1} ${id.slice(4, 12)}` } };
      } catch (error) {
        return { id, error };
      }
    }),
  );
}

function AddRun({ ids }: { readonly ids: readonly string[] }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const full = ids.length >= COMPARE_MAX_RUNS;
  const submit = (event: Event): void => {
    event.preventDefault();
    // Accept a pasted run page address as well as a bare id.
    const id = text.trim().split("/").pop() ?? "";
    if (!RUN_ID.test(id)) return setProblem("A run id looks like run_ followed by 36 hex digits and dashes (copy it from a run page).");
    if (ids.includes(id)) return setProblem("That run is already compared.");
    setProblem(null);
    setText("");
    navigate(compareUrl([...ids, id]));
  };
  return (
    <form class="compare-add" onSubmit={submit} data-testid="compare-add">
      <label for="compare-add-id">Add a run by id</label>
      <div class="compare-add-row">
        <input id="compare-add-id" type="text" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="run_…" disabled={full} data-testid="compare-add-input" />
        <button type="submit" disabled={full}>
          Add
        </button>
      </div>
      {full && <p class="muted">A comparison holds at most {COMPARE_MAX_RUNS} runs: remove one to add another.</p>}
      {problem && (
        <p class="notice notice-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** The newest runs of the first compared run's protocol that are not compared yet, one click to add. */
function Suggestions({ ids, protocolId }: { readonly ids: readonly string[]; readonly protocolId: string }) {
  const board = useAsync(() => api.board(protocolId), [protocolId]);
  if (board.status !== "ok" || ids.length >= COMPARE_MAX_RUNS) return null;
  const others = board.data.runs.filter((r) => !ids.includes(r.id)).slice(0, 5);
  if (others.length === 0) return null;
  return (
    <div class="compare-suggestions" data-testid="compare-suggestions">
      <p>Other verified runs of {protocolId}:</p>
      <ul>
        {others.map((r) => (
          <li key={r.id}>
            <a href={compareUrl([...ids, r.id])} data-testid="compare-suggestion">
              add seed {r.seed} <code>{r.id.slice(4, 12)}</code>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What a compared run's standing adds to its name: rejected, pending its peers, refuted, hidden; nothing when counted. */
function trustNote({ run }: ComparedBundle): string {
  if (run.status !== "accepted") return ", rejected";
  if (run.peerReplay?.status === "pending") return ", pending its peers' replays";
  if (run.peerReplay?.status === "refuted") return ", refuted by peers";
  return run.hidden ? ", hidden by an admin" : "";
}

function RunChips({ loaded }: { readonly loaded: readonly Loaded[] }) {
  const ids = loaded.map((l) => l.id);
  return (
    <ul class="compare-chips" data-testid="compare-runs">
      {loaded.map((entry) => (
        <li key={entry.id} class={"error" in entry ? "compare-chip missing" : "compare-chip"} data-testid="compare-run" data-run={entry.id} data-ok={String(!("error" in entry))}>
          {"error" in entry ? (
            <span>
              <code>{entry.id}</code>: {describeError(entry.error).title} {describeError(entry.error).detail}
            </span>
          ) : (
            <span>
              <span class="swatch" style={{ background: entry.bundle.color }} aria-hidden="true" /> <a href={runUrl(entry.id)}>{entry.bundle.name}</a>{" "}
              <span class="muted">
                {entry.bundle.run.protocolId}, seed {entry.bundle.run.seed}
                {trustNote(entry.bundle)}
              </span>
            </span>
          )}{" "}
          <a href={compareUrl(ids.filter((id) => id !== entry.id))} class="compare-remove" aria-label={`Remove ${entry.id} from the comparison`} data-testid="compare-remove">
            remove
          </a>
        </li>
      ))}
    </ul>
  );
}

function Notes({ runs, request }: { readonly runs: readonly ComparedBundle[]; readonly request: CompareRuns }) {
  const families = [...new Set(runs.map((r) => r.info?.protocol.family ?? "unlisted"))];
  return (
    <>
      {request.malformed.length > 0 && (
        <p class="notice notice-warn" data-testid="compare-malformed">
          Not run ids, left out:{" "}
          {request.malformed.map((m, k) => (
            <code key={k} class="compare-malformed-id">
              {m}
            </code>
          ))}
        </p>
      )}
      {request.dropped.length > 0 && (
        <p class="notice notice-warn" data-testid="compare-dropped">
          A comparison holds at most {COMPARE_MAX_RUNS} runs; {request.dropped.length} more were left out.
        </p>
      )}
      {families.length > 1 && (
        <p class="notice notice-warn" data-testid="compare-families" data-families={families.join(",")}>
          These runs come from different experiment families ({families.join(", ")}): their recipes share few settings and their metrics differ, so
          only what they have in common is compared side by side.
        </p>
      )}
    </>
  );
}

export function ComparePage({ runs: request }: { readonly runs: CompareRuns }) {
  const data = useAsync(() => loadAll(request.ids), [request.ids.join(",")]);
  const loaded = data.status === "ok" ? data.data : [];
  const bundles = loaded.flatMap((l) => ("bundle" in l ? [l.bundle] : []));
  return (
    <div class="compare-page" data-testid="compare-page">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Compare runs
      </p>
      <h1>Compare runs</h1>
      <p class="lede">
        Up to {COMPARE_MAX_RUNS} runs side by side: what their recipes change, their loss histories on one chart, the metrics the server recomputed, and
        their boundaries. The runs are in the address: share it to share the comparison.
      </p>
      {data.status === "loading" && request.ids.length > 0 && <Loading what="the runs" />}
      {data.status === "error" && <ErrorBox error={data.error} onRetry={data.reload} />}
      {loaded.length > 0 && <RunChips loaded={loaded} />}
      <AddRun ids={request.ids} />
      {bundles[0] && <Suggestions ids={request.ids} protocolId={bundles[0].run.protocolId} />}
      <Notes runs={bundles} request={request} />
      {data.status === "ok" && bundles.length < 2 && (
        <p class="notice notice-info" data-testid="compare-need-more">
          {bundles.length === 0 ? "Name two or more runs to compare" : "Add at least one more run to compare"}: by id above, with “compare with…” on a run
          page, or by ticking runs on a protocol's board.
        </p>
      )}
      {bundles.length >= 2 && <CompareView runs={bundles} />}
    </div>
  );
}
