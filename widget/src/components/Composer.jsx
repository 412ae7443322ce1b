// The message field: Enter sends, Shift+Enter makes a new line.
import { useState } from "preact/hooks";

const MAX_CHARS = 4000;

export function Composer({ inputRef, disabled, onSend }) {
  const [text, setText] = useState("");

  const submit = (event) => {
    event.preventDefault();
    const message = text.trim();
    if (!message || disabled) return;
    if (onSend(message)) setText("");
  };

  return (
    <form class="composer" onSubmit={submit}>
      <label for="insatslotsen-message">Ditt meddelande</label>
      <div class="composer-row">
        <textarea
          id="insatslotsen-message"
          ref={inputRef}
          rows={2}
          maxLength={MAX_CHARS}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
          }}
        />
        <button type="submit" disabled={disabled}>Skicka</button>
      </div>
    </form>
  );
}
