// The areas of the OpenAPI document, one module each: documenting a new group of routes is its own file under
// worker/openapi/ exporting register(registry), and one line here.
import { register as admin } from "./admin";
import type { Registry } from "./common";
import { register as contributors } from "./contributors";
import { register as docs } from "./docs";
import { register as exportArea } from "./export";
import { register as explorations } from "./explorations";
import { register as leaderboard, registerFacets as leaderboardFacets } from "./leaderboard";
import { register as protocols } from "./protocols";
import { register as replays } from "./replays";
import { register as runs } from "./runs";
import { register as workunits } from "./workunits";

export const AREAS: readonly ((registry: Registry) => void)[] = [protocols, workunits, runs, replays, leaderboard, leaderboardFacets, contributors, exportArea, explorations, admin, docs];
