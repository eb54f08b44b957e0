// The explorations saved from this browser, listed with links to their shared pages (newest first), each
// forgettable from the list (the exploration itself stays shared).
import { useEffect, useState } from "preact/hooks";
import { formatCount, formatDate } from "../format";
import { explorationUrl } from "./playground-url";
import { forgetSaved, listSaved, type SavedExploration } from "./saved-explorations";

/** `version` changes when an exploration was just saved, to read the list again. */
export function SavedExplorationsPanel({ version }: { readonly version: string }) {
  const [saved, setSaved] = useState<SavedExploration[]>(listSaved);
  useEffect(() => setSaved(listSaved()), [version]);
  return (
    <section class="panel" aria-labelledby="saved-explorations-heading" data-testid="saved-explorations">
      <h2 id="saved-explorations-heading">Saved from this browser</h2>
      {saved.length === 0 ? (
        <p class="muted">Nothing yet: explorations you save here are listed, with their links, for as long as this browser keeps its storage.</p>
      ) : (
        <ul class="saved-explorations">
          {saved.map((entry) => (
            <li key={entry.id} data-testid="saved-exploration">
              <a href={explorationUrl(entry.id)}>{entry.title ?? "Untitled exploration"}</a>{" "}
              <span class="muted">
                ({formatCount(entry.steps)} steps, {formatDate(entry.createdAt)})
              </span>{" "}
              <button type="button" class="link-button" onClick={() => setSaved(forgetSaved(entry.id))} aria-label={`Forget ${entry.title ?? "this exploration"} in this list`}>
                forget
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
