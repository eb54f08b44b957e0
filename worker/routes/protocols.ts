// GET /api/protocols: the registry as clients see it, with each family's metric definitions.
import { Hono } from "hono";
import type { ProtocolInfo } from "../../shared/api";
import { familyOf } from "../../shared/protocols/families";
import { PROTOCOLS } from "../../shared/protocols/registry";
import type { AppEnv } from "../env";

const protocolInfos: ProtocolInfo[] = PROTOCOLS.map((protocol) => {
  const family = familyOf(protocol);
  return { protocol: { ...protocol, claims: [...protocol.claims] } as ProtocolInfo["protocol"], metrics: [...family.metrics(protocol)], paramCount: family.paramCount(protocol) };
});

export const protocolRoutes = new Hono<AppEnv>().get("/", (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ protocols: protocolInfos });
});
