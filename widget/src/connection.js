// The socket.io connection to Rasa's channel, proxied by the FastAPI app at the page's origin.
// The signed token travels with the connection and with every event, as the channel checks both.
import { io } from "socket.io-client";

export function connect(session, { onBotMessage, onMasked, onStatus, onRejected }) {
  let current = session;
  const socket = io(window.location.origin, {
    path: "/socket.io/",
    transports: ["websocket"],
    auth: (callback) => callback({ token: current.token }),
    reconnectionDelayMax: 10_000,
  });

  socket.on("connect", () => {
    socket.emit("session_request", { session_id: current.session_id, token: current.token });
  });
  socket.on("session_confirm", () => onStatus("connected"));
  socket.on("bot_uttered", (payload) => onBotMessage(payload));
  socket.on("user_uttered_masked", (payload) => onMasked(payload?.text));
  socket.on("disconnect", (reason) => {
    // The server closed the connection on purpose (e.g. a token it no longer accepts).
    if (reason === "io server disconnect") onRejected();
    else onStatus("reconnecting");
  });
  socket.on("connect_error", () => onStatus(socket.active ? "reconnecting" : "rejected"));
  socket.io.on("reconnect_failed", () => onStatus("offline"));

  return {
    send(message) {
      if (!socket.connected) return false;
      socket.emit("user_uttered", { message, session_id: current.session_id, token: current.token });
      return true;
    },
    updateSession(next) {
      current = next;
    },
    reconnect() {
      socket.connect();
    },
    close() {
      socket.close();
    },
  };
}
