// 👍/👎 under each answer; a 👎 may name the passage that would have been right.
import { useState } from "preact/hooks";

export function Feedback({ turn, onRate }) {
  const [choice, setChoice] = useState(null);
  const [passage, setPassage] = useState("");
  const [state, setState] = useState(turn.rated ? "sent" : "idle");
  const fieldId = `feedback-${turn.id}`;

  async function submit(rating, passageId) {
    setState("sending");
    const ok = await onRate(turn, rating, passageId);
    setState(ok ? "sent" : "failed");
  }

  if (state === "sent") {
    return <p class="feedback-thanks">Tack för ditt omdöme!</p>;
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
          <input
            id={fieldId}
            type="text"
            maxLength={200}
            placeholder="t.ex. 002 §4.2.3"
            value={passage}
            onInput={(event) => setPassage(event.currentTarget.value)}
          />
          <button type="submit" disabled={state === "sending"}>Skicka omdöme</button>
        </form>
      )}
      {state === "failed" && <p class="error" role="alert">Omdömet kunde inte sparas. Försök igen.</p>}
    </div>
  );
}
