// 👍/👎 under each answer; a 👎 may name the passage that would have been right.
import { useState } from "preact/hooks";

import { usePassageGroups } from "../catalog.js";

export function Feedback({ turn, onRate }) {
  const [choice, setChoice] = useState(null);
  const [passage, setPassage] = useState("");
  const [state, setState] = useState(turn.rated ? "sent" : "idle");
  const [error, setError] = useState("");
  const groups = usePassageGroups(choice === "down");
  const fieldId = `feedback-${turn.id}`;

  async function submit(rating, passageId) {
    setState("sending");
    const problem = await onRate(turn, rating, passageId);
    setError(problem ?? "");
    setState(problem ? "failed" : "sent");
  }

  if (state === "sent") {
    return <p class="feedback-thanks" role="status">Tack för ditt omdöme!</p>;
  }
  return (
    <div class="feedback" role="group" aria-label="Omdöme om svaret">
      <button
        type="button"
        aria-pressed={choice === "up"}
        aria-label="Bra svar"
        title="Bra svar"
        disabled={state === "sending"}
        onClick={() => {
          setChoice("up");
          submit("up");
        }}
      >
        👍
      </button>
      <button
        type="button"
        aria-pressed={choice === "down"}
        aria-label="Dåligt svar"
        title="Dåligt svar"
        disabled={state === "sending"}
        onClick={() => setChoice("down")}
      >
        👎
      </button>
      {choice === "down" && (
        <form
          class="feedback-form"
          onSubmit={(event) => {
            event.preventDefault();
            submit("down", passage.trim() || undefined);
          }}
        >
          <label for={fieldId}>Vilket avsnitt hade varit rätt? (frivilligt)</label>
          <select id={fieldId} value={passage} onChange={(event) => setPassage(event.currentTarget.value)}>
            <option value="">Vet inte / inget särskilt</option>
            {groups.map((group) => (
              <optgroup key={group.document} label={group.document}>
                {group.passages.map((item) => <option key={item.id} value={item.id}>{item.label}</option>)}
              </optgroup>
            ))}
          </select>
          <button type="submit" disabled={state === "sending"}>Skicka omdöme</button>
        </form>
      )}
      {state === "failed" && <p class="error" role="alert">{error}</p>}
    </div>
  );
}
