// Single-use workunit tokens: 256 random bits, handed to the client once; only their hash is stored.
import { sha256Hex } from "../shared/data/digest";

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export const tokenHash = (token: string): Promise<string> => sha256Hex(new TextEncoder().encode(token));
