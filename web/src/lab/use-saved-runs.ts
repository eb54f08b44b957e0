// Why: the Lab's view of the unfinished runs kept in IndexedDB: loaded on page load (expired workunits
// dropped and reported), refreshed after every change, and the operations the run controller needs.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Workunit } from "../../../shared/api";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import type { BackendChoice } from "../routes";
import { pageCheckpointStore, type SavedRun } from "./checkpoint-store";

export interface SavedRuns {
  /** Unexpired unfinished runs, newest first. */
  readonly runs: readonly SavedRun[];
  /** Runs dropped since the page loaded because their workunit expired. */
  readonly expired: readonly SavedRun[];
  /** False where this browser cannot keep runs (no IndexedDB). */
  readonly available: boolean;
  /** Records a run about to start (from `checkpoint` when it resumes one). */
  keep(workunit: Workunit, contributor: string | undefined, backend: BackendChoice, checkpoint?: CmnistCheckpoint | null): Promise<void>;
  saveCheckpoint(workunitId: string, checkpoint: CmnistCheckpoint): Promise<void>;
  get(workunitId: string): Promise<SavedRun | undefined>;
  discard(workunitId: string): Promise<void>;
}

/** Store failures (quota, a closed database) must never stop a run: they are logged and the run goes on. */
const logged = (what: string) => (error: unknown) => console.warn(`[gs-lab] ${what}: ${error instanceof Error ? error.message : String(error)}`);

export function useSavedRuns(): SavedRuns {
  const [runs, setRuns] = useState<readonly SavedRun[]>([]);
  const [expired, setExpired] = useState<readonly SavedRun[]>([]);
  const [available, setAvailable] = useState(true);

  const refresh = useCallback(async (): Promise<void> => {
    const store = await pageCheckpointStore();
    if (!store) return setAvailable(false);
    const dropped = await store.dropExpired();
    if (dropped.length > 0) setExpired((before) => [...before, ...dropped]);
    setRuns(await store.list());
  }, []);

  useEffect(() => void refresh().catch(logged("could not read the saved runs")), [refresh]);

  /** Runs `change` on the store (if any), then reloads the list. */
  const change = useCallback(
    async (what: string, work: (store: NonNullable<Awaited<ReturnType<typeof pageCheckpointStore>>>) => Promise<unknown>): Promise<void> => {
      const store = await pageCheckpointStore();
      if (!store) return;
      await work(store)
        .then(refresh)
        .catch(logged(what));
    },
    [refresh],
  );

  return {
    runs,
    expired,
    available,
    keep: (workunit, contributor, backend, checkpoint = null) =>
      change("could not keep the run", (store) => store.put({ workunit, contributor: contributor ?? null, backend, checkpoint })),
    saveCheckpoint: (workunitId, checkpoint) => change("could not keep the checkpoint", (store) => store.saveCheckpoint(workunitId, checkpoint)),
    get: async (workunitId) => (await pageCheckpointStore())?.get(workunitId).catch((error: unknown) => void logged("could not read the saved run")(error)),
    discard: (workunitId) => change("could not delete the saved run", (store) => store.delete(workunitId)),
  };
}
