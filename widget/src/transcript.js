// The conversation as turns: what the user said and the bot's messages that answered it.
// Pure functions over plain data, so the transcript can be kept in sessionStorage.

const STORAGE_KEY = "insatslotsen.transcript";
const MAX_TURNS = 200;

let counter = 0;
const nextId = () => `${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** One bot_uttered payload as a message the widget renders. */
export function botMessage(payload) {
  const message = { id: nextId() };
  if (typeof payload === "string") return { ...message, text: payload };
  if (!payload || typeof payload !== "object") return null;
  if (typeof payload.text === "string" && payload.text.trim()) message.text = payload.text;
  const replies = payload.quick_replies ?? payload.buttons;
  if (Array.isArray(replies) && replies.length) {
    message.buttons = replies
      .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
      .map(({ title, payload: value }) => ({ title, payload: value }));
  }
  if (Array.isArray(payload.interventions)) message.result = payload;
  if (Array.isArray(payload.quotes) && payload.quotes.length) message.quotes = payload.quotes;
  if (payload.attachment?.type === "image" && payload.attachment.payload?.src) {
    message.image = payload.attachment.payload.src;
  }
  const shows = message.text || message.buttons || message.result || message.quotes || message.image;
  return shows ? message : null;
}

export function addUserTurn(turns, text) {
  return [...turns, { id: nextId(), question: text, messages: [] }].slice(-MAX_TURNS);
}

/** The newest question as the server masked it: the transcript keeps no identifier the user typed. */
export function maskLastQuestion(turns, masked) {
  const index = turns.findLastIndex((turn) => turn.question !== null);
  if (index < 0 || typeof masked !== "string") return turns;
  return turns.map((turn, i) => (i === index ? { ...turn, question: masked } : turn));
}

export function addBotMessage(turns, message) {
  if (turns.length === 0) return [{ id: nextId(), question: null, messages: [message] }];
  const last = turns[turns.length - 1];
  return [...turns.slice(0, -1), { ...last, messages: [...last.messages, message] }];
}

/** The plain text of a turn's answer, as stored with feedback. */
export function answerText(turn) {
  return turn.messages.map((m) => m.text).filter(Boolean).join("\n\n");
}

/** The versions of the rules etc. that answered, if the answer carried a check result. */
export function answerVersions(turn) {
  const withVersions = turn.messages.find((m) => m.result?.versions);
  return withVersions ? withVersions.result.versions : undefined;
}

export function loadTranscript(storage = window.sessionStorage) {
  try {
    const turns = JSON.parse(storage.getItem(STORAGE_KEY));
    return Array.isArray(turns) ? turns : [];
  } catch {
    return [];
  }
}

export function saveTranscript(turns, storage = window.sessionStorage) {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(turns));
  } catch {
    // A full sessionStorage only costs the transcript on reload; the conversation itself goes on.
  }
}

export function clearTranscript(storage = window.sessionStorage) {
  storage.removeItem(STORAGE_KEY);
}

export function markRated(turns, turnId, rating) {
  return turns.map((turn) => (turn.id === turnId ? { ...turn, rated: rating } : turn));
}
