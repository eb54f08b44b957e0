// Query strings of the read-side API and of the pages that mirror it: the same parameters in the same
// order, absent values left out, so a page's URL and the API request it makes read alike.
import { ENVIRONMENT_DIMENSIONS, type FacetQuery } from "../board-api";

export type QueryValue = string | number | null | undefined;

/** "?a=1&b=x" from the defined entries in their given order; "" when there are none. */
export function toQueryString(entries: ReadonlyArray<readonly [string, QueryValue]> | Readonly<Record<string, QueryValue>>): string {
  const query = new URLSearchParams();
  const pairs = Array.isArray(entries) ? entries : Object.entries(entries);
  for (const [key, value] of pairs as ReadonlyArray<readonly [string, QueryValue]>) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** A facet query's parameters in their one order: the environment dimension (at most one), then trust. */
export function facetEntries(facet: FacetQuery): Array<readonly [string, QueryValue]> {
  return [...ENVIRONMENT_DIMENSIONS.map((dimension) => [dimension, facet[dimension]] as const), ["trust", facet.trust] as const];
}
