// A tiny history-API router: one hook that re-renders on navigation, and a click handler that turns
// same-origin <a href="/..."> clicks into pushState navigations (modifier clicks still open new tabs).
import { useEffect, useState } from "preact/hooks";
import { parseRoute, type Route } from "./routes";

const LOCATION_CHANGED = "gslab:navigate";

export interface Location {
  readonly pathname: string;
  readonly search: string;
}

const current = (): Location => ({ pathname: window.location.pathname, search: window.location.search });

/** Goes to `href` (same origin); `replace` rewrites the current history entry (state edits, not pages). */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, window.location.href);
  if (url.href === window.location.href) return;
  if (options.replace) window.history.replaceState(null, "", url);
  else {
    window.history.pushState(null, "", url);
    window.scrollTo(0, 0);
  }
  window.dispatchEvent(new Event(LOCATION_CHANGED));
}

/** The current location, re-read after every navigation and back/forward. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => setLocation(current());
    window.addEventListener("popstate", update);
    window.addEventListener(LOCATION_CHANGED, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(LOCATION_CHANGED, update);
    };
  }, []);
  return location;
}

export function useRoute(): Route {
  const { pathname, search } = useLocation();
  return parseRoute(pathname, search);
}

/** Installs the document-wide link interception; returns its remover. */
export function interceptLinks(): () => void {
  const onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const href = anchor.getAttribute("href");
    if (!href || !href.startsWith("/") || href.startsWith("//") || href.startsWith("/api/")) return;
    event.preventDefault();
    navigate(href);
  };
  document.addEventListener("click", onClick);
  return () => document.removeEventListener("click", onClick);
}
