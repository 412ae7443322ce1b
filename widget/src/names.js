// Swedish names and legal bases of the insatser, from the rule files via GET /api/interventions,
// so the card names insatser exactly as the bot's text does.
import { useEffect, useState } from "preact/hooks";

let cached = null;

async function load() {
  const response = await fetch("/api/interventions");
  if (!response.ok) throw new Error(`GET /api/interventions: ${response.status}`);
  const entries = await response.json();
  return Object.fromEntries(entries.map((entry) => [entry.id, entry]));
}

export function useInterventionNames() {
  const [names, setNames] = useState(cached ?? {});
  useEffect(() => {
    if (cached) return;
    load()
      .then((loaded) => {
        cached = loaded;
        setNames(loaded);
      })
      .catch(() => {
        // Without names the card shows the ids; the answer text still names every insats.
      });
  }, []);
  return names;
}
