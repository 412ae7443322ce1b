// Reference data the widget shows beside the conversation, loaded once per page from the API:
// the insatser's Swedish names (GET /api/interventions) and the passages (GET /api/passages).
import { useEffect, useState } from "preact/hooks";

const cache = new Map();

function fetchOnce(url) {
  if (!cache.has(url)) {
    cache.set(
      url,
      fetch(url).then((response) => {
        if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
        return response.json();
      }),
    );
    // A failed load may be retried by the next component that asks.
    cache.get(url).catch(() => cache.delete(url));
  }
  return cache.get(url);
}

function useCatalog(url, shape, empty, enabled = true) {
  const [value, setValue] = useState(empty);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    fetchOnce(url)
      .then((data) => live && setValue(shape(data)))
      .catch(() => {
        // Without the catalog the widget shows ids; the answer text still names everything.
      });
    return () => {
      live = false;
    };
  }, [url, enabled]);
  return value;
}

/** {id: {name, legal_basis}} for every insats. */
export function useInterventionNames() {
  return useCatalog("/api/interventions", (entries) => Object.fromEntries(entries.map((e) => [e.id, e])), {});
}

/** [{document, passages: [{id, label}]}], document by document; loaded only when `enabled`. */
export function usePassageGroups(enabled) {
  return useCatalog("/api/passages", groupPassages, [], enabled);
}

function groupPassages(entries) {
  const groups = new Map();
  const seen = new Map();
  for (const entry of entries) {
    const key = `${entry.citation} – ${entry.title}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (!groups.has(entry.document)) groups.set(entry.document, []);
    groups.get(entry.document).push({ id: entry.id, label: count > 1 ? `${key} (del ${count})` : key });
  }
  return [...groups].map(([document, passages]) => ({ document, passages }));
}
