// Worker entry point: the hono app handles /api/*; everything else is the web client (static assets).
import { app } from "./app";

export default app;
