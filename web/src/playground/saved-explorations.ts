// Why: the explorations saved from this browser, kept in its local storage (the server lists none), so the
// playground can list them with their titles and links; bounded, validated when read, and harmless when the
// browser keeps no storage.
import { z } from "zod";
import { EXPLORATION_ID } from "./playground-url";

const STORAGE_KEY = "gs-lab:explorations";
/** The most entries kept (the newest). */
export const MAX_SAVED = 50;

const SavedExplorationSchema = z.object({
  id: z.string().regex(EXPLORATION_ID),
  title: z.string().max(80).nullable(),
  steps: z.int().min(0),
  createdAt: z.iso.datetime(),
});
export type SavedExploration = z.infer<typeof SavedExplorationSchema>;

type Store = Pick<Storage, "getItem" | "setItem">;

const browserStorage = (): Store | undefined => {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
};

/** The saved explorations, newest first; entries that do not parse are dropped. */
export function listSaved(storage: Store | undefined = browserStorage()): SavedExploration[] {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((entry) => {
      const parsed = SavedExplorationSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }).slice(0, MAX_SAVED);
  } catch {
    return [];
  }
}

/** Records an exploration just saved (first in the list, once); returns the new list. */
export function rememberSaved(entry: SavedExploration, storage: Store | undefined = browserStorage()): SavedExploration[] {
  const list = [entry, ...listSaved(storage).filter((e) => e.id !== entry.id)].slice(0, MAX_SAVED);
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list simply is not kept.
  }
  return list;
}

/** Forgets one entry (the exploration itself stays on the server); returns the new list. */
export function forgetSaved(id: string, storage: Store | undefined = browserStorage()): SavedExploration[] {
  const list = listSaved(storage).filter((e) => e.id !== id);
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // As above.
  }
  return list;
}
