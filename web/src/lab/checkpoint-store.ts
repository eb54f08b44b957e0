// Why: keeps unfinished long runs (the workunit, who runs it, on which backend, and the latest checkpoint) in
// IndexedDB, so that a reloaded or reopened Lab can resume them; expired workunits are dropped.
import type { Workunit } from "../../../shared/api";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import type { BackendChoice } from "../routes";

export const CHECKPOINT_DB_NAME = "gs-lab-runs";
const DB_VERSION = 1;
const STORE = "runs";

/** One unfinished run; `id` is its workunit's id. */
export interface SavedRun {
  readonly id: string;
  readonly workunit: Workunit;
  readonly contributor: string | null;
  readonly backend: BackendChoice;
  /** Null until the first checkpoint arrives. */
  readonly checkpoint: CmnistCheckpoint | null;
  /** When the record last changed (ms since the epoch). */
  readonly savedAt: number;
}

export interface CheckpointStore {
  /** Unexpired runs, most recently saved first (expired ones are dropped on the way). */
  list(): Promise<SavedRun[]>;
  /** The run of this workunit, unless there is none or it has expired (then it is dropped). */
  get(id: string): Promise<SavedRun | undefined>;
  /** Adds or replaces a run (its savedAt is set now). */
  put(run: Omit<SavedRun, "id" | "savedAt">): Promise<void>;
  /** Stores a newer checkpoint in an existing run; false (nothing stored) if the run is gone or the checkpoint is older. */
  saveCheckpoint(id: string, checkpoint: CmnistCheckpoint): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Deletes every run whose workunit has expired and returns them. */
  dropExpired(): Promise<SavedRun[]>;
  close(): void;
}

export interface StoreOptions {
  /** Defaults to the global indexedDB. */
  readonly indexedDB?: IDBFactory;
  /** Defaults to Date.now. */
  readonly now?: () => number;
}

export const isExpired = (workunit: Workunit, now: number): boolean => Date.parse(workunit.expiresAt) <= now;

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });

const committed = (transaction: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB transaction failed"));
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(CHECKPOINT_DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: "id" });
  };
  return done(request);
}

/** Opens the store; rejects where the browser has no IndexedDB (then runs are simply not kept). */
export async function openCheckpointStore(options: StoreOptions = {}): Promise<CheckpointStore> {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (!factory) throw new Error("This browser offers no IndexedDB: runs cannot be kept across reloads.");
  const now = options.now ?? Date.now;
  const db = await openDatabase(factory);

  /** Runs `work` in one transaction and resolves with its result once the transaction has committed. */
  async function inTransaction<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
    const transaction = db.transaction(STORE, mode);
    const finished = committed(transaction);
    const result = await work(transaction.objectStore(STORE));
    await finished;
    return result;
  }

  const dropExpired = (): Promise<SavedRun[]> =>
    inTransaction("readwrite", async (store) => {
      const all = (await done(store.getAll())) as SavedRun[];
      const expired = all.filter((run) => isExpired(run.workunit, now()));
      await Promise.all(expired.map((run) => done(store.delete(run.id))));
      return expired;
    });

  const remove = (id: string): Promise<void> => inTransaction("readwrite", async (store) => void (await done(store.delete(id))));

  return {
    async list() {
      await dropExpired();
      const all = await inTransaction("readonly", (store) => done(store.getAll()) as Promise<SavedRun[]>);
      return all.sort((a, b) => b.savedAt - a.savedAt);
    },
    async get(id) {
      const run = await inTransaction("readonly", (store) => done(store.get(id)) as Promise<SavedRun | undefined>);
      if (run && isExpired(run.workunit, now())) {
        await remove(id);
        return undefined;
      }
      return run;
    },
    put: (run) => inTransaction("readwrite", async (store) => void (await done(store.put({ ...run, id: run.workunit.workunitId, savedAt: now() } satisfies SavedRun)))),
    saveCheckpoint: (id, checkpoint) =>
      inTransaction("readwrite", async (store) => {
        const run = (await done(store.get(id))) as SavedRun | undefined;
        if (!run || (run.checkpoint && run.checkpoint.step > checkpoint.step)) return false;
        await done(store.put({ ...run, checkpoint, savedAt: now() } satisfies SavedRun));
        return true;
      }),
    delete: remove,
    dropExpired,
    close: () => db.close(),
  };
}

let shared: Promise<CheckpointStore | null> | null = null;

/** The page's store, opened once; null where IndexedDB cannot be used (private modes, old browsers): runs are then not kept. */
export function pageCheckpointStore(): Promise<CheckpointStore | null> {
  shared ??= openCheckpointStore().catch((error: unknown) => {
    console.warn(`[gs-lab] runs will not be kept across reloads: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  return shared;
}
