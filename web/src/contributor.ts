// The optional contributor display name: validated like the server does (1-40 characters after trimming)
// and remembered in localStorage between visits.
import { LIMITS } from "../../shared/api";

const STORAGE_KEY = "gslab.contributor";

export type ContributorCheck = { readonly ok: true; readonly name: string | undefined } | { readonly ok: false; readonly message: string };

/** An empty name means "anonymous"; anything else must be 1-40 characters once trimmed. */
export function checkContributor(raw: string): ContributorCheck {
  const name = raw.trim();
  if (name.length === 0) return { ok: true, name: undefined };
  if ([...name].length > LIMITS.contributorChars || name.length > LIMITS.contributorChars) {
    return { ok: false, message: `A display name can have at most ${LIMITS.contributorChars} characters.` };
  }
  return { ok: true, name };
}

export function loadContributor(storage: Pick<Storage, "getItem"> | undefined = safeStorage()): string {
  try {
    return storage?.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveContributor(raw: string, storage: Pick<Storage, "setItem" | "removeItem"> | undefined = safeStorage()): void {
  try {
    const name = raw.trim();
    if (name) storage?.setItem(STORAGE_KEY, name.slice(0, LIMITS.contributorChars));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Private browsing or storage disabled: the name just is not remembered.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
