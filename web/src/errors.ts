// Errors in plain words: what went wrong (network, server, dataset integrity, the tfjs backend) and what
// to do, from an error thrown here or one serialised by the training Web Worker.
import { ApiError } from "../../shared/client/api-client";

export type ErrorKind = "network" | "api" | "integrity" | "backend" | "other";

/** An error as it crosses the Worker boundary (structured clone drops classes). */
export interface SerializedError {
  readonly kind: ErrorKind;
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly reason?: string;
}

/** Thrown when no tfjs backend (or not the requested one) can start. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

const NETWORK_MESSAGES = /failed to fetch|networkerror|load failed|network request failed|fetch failed/i;

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ApiError) return { kind: "api", name: error.name, message: error.message, status: error.status, reason: error.reason };
  if (error instanceof Error) {
    if (error.name === "DatasetIntegrityError") return { kind: "integrity", name: error.name, message: error.message };
    if (error.name === "BackendError") return { kind: "backend", name: error.name, message: error.message };
    if (error.name === "TypeError" && NETWORK_MESSAGES.test(error.message)) return { kind: "network", name: error.name, message: error.message };
    if (error.name === "ZodError") return { kind: "api", name: error.name, message: "The server's answer did not have the expected shape." };
    return { kind: "other", name: error.name, message: error.message };
  }
  return { kind: "other", name: "Error", message: String(error) };
}

export interface ErrorDescription {
  readonly title: string;
  readonly detail: string;
}

/** A heading and an explanation for the user; `detail` keeps the technical message. */
export function describeError(error: SerializedError | unknown): ErrorDescription {
  const e = isSerialized(error) ? error : serializeError(error);
  switch (e.kind) {
    case "network":
      return { title: "The GS Lab server could not be reached.", detail: `Check your connection and try again. (${e.message})` };
    case "integrity":
      return { title: "The dataset failed its integrity check.", detail: `${e.message} Nothing was trained on it; try again.` };
    case "backend":
      return { title: "The training backend could not start.", detail: `${e.message} Pick another backend (or "auto") and try again.` };
    case "api":
      if (e.reason === "rate_limited") return { title: "Too many requests.", detail: `${e.message} Wait a minute and try again.` };
      // A page about something that does not exist: plain words, not the API's.
      if (e.reason === "unknown_protocol") return { title: "There is no experiment with that name.", detail: "The leaderboard lists every experiment GS Lab runs." };
      if (e.status === 404) return { title: "Not found.", detail: e.message };
      if (e.status !== undefined && e.status >= 500) return { title: "The server failed.", detail: e.message };
      return { title: "The server refused the request.", detail: e.reason ? `${e.message} (${e.reason})` : e.message };
    default:
      return { title: "Something went wrong.", detail: e.message };
  }
}

function isSerialized(value: unknown): value is SerializedError {
  return typeof value === "object" && value !== null && !(value instanceof Error) && "kind" in value && "message" in value;
}

/** Whether trying again can help: not for an answer that says the request itself is wrong (a 4xx other than 408, 409 and 429). */
export function isRetryable(error: SerializedError | unknown): boolean {
  const e = isSerialized(error) ? error : serializeError(error);
  if (e.kind !== "api" || e.status === undefined) return true;
  return e.status >= 500 || e.status === 408 || e.status === 409 || e.status === 429;
}
