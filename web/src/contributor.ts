// Who contributes: the optional display name, validated like the server does (1-40 characters after
// trimming), and this browser's contributor key — 256 random bits made on the first submission and kept in
// localStorage, sent with every run so the server can tell contributors apart (it stores only a hash) and a
// quorum never counts one person twice. Both are remembered between visits.
import { LIMITS } from "../../shared/api";

const STORAGE_KEY = "gslab.contributor";
const KEY_STORAGE_KEY = "gslab.contributorKey";
const KEY_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes as unpadded base64url: the contributor key format of the API (43 characters). */
export function newContributorKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** This browser's contributor key, made and stored on first use; undefined where storage is unavailable. */
export function contributorKey(storage: Pick<Storage, "getItem" | "setItem"> | undefined = safeStorage()): string | undefined {
  try {
    const stored = storage?.getItem(KEY_STORAGE_KEY);
    if (stored && KEY_FORMAT.test(stored)) return stored;
    if (!storage) return undefined;
    const key = newContributorKey();
    storage.setItem(KEY_STORAGE_KEY, key);
    return key;
  } catch {
    // Private browsing or storage disabled: the run is submitted without an identity (anonymous).
    return undefined;
  }
}

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
