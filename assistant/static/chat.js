// The interim chat page: talks to /api/chat and keeps its sender id across reloads.
const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const sender = localStorage.getItem("insatslotsen-sender") || crypto.randomUUID().replaceAll("-", "");
localStorage.setItem("insatslotsen-sender", sender);

function show(text, kind) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

async function send(message, shown) {
  show(shown ?? message, "user");
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender, message }),
    });
    const body = await response.json();
    if (!response.ok) {
      show(typeof body.detail === "string" ? body.detail : "Meddelandet kunde inte skickas.", "error");
      return;
    }
    for (const reply of body) {
      if (!reply.text) continue;
      const item = show(reply.text, "bot");
      for (const button of reply.buttons ?? []) {
        const element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.addEventListener("click", () => send(button.payload, button.title));
        item.appendChild(document.createElement("br"));
        item.appendChild(element);
      }
    }
  } catch {
    show("Assistenten kan inte nås just nu. Försök igen om en stund.", "error");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const message = input.value.trim();
  if (!message) return;
  input.value = "";
  send(message);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) form.requestSubmit();
});
