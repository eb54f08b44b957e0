// The page's API client (same origin) and the protocol list, fetched once per page load and shared by
// every page that needs metric labels or protocol details.
import type { ProtocolInfo } from "../../shared/api";
import { createApiClient } from "../../shared/client/api-client";

export const api = createApiClient("");

let protocols: Promise<ProtocolInfo[]> | null = null;

export function loadProtocols(): Promise<ProtocolInfo[]> {
  protocols ??= api.protocols().catch((error: unknown) => {
    protocols = null; // let the next caller retry
    throw error;
  });
  return protocols;
}
