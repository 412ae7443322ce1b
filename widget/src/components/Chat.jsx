// The chat: opens the session, keeps the transcript across reloads, talks over socket.io.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

import { connect } from "../connection.js";
import { sendFeedback } from "../feedback.js";
import { useInterventionNames } from "../catalog.js";
import { openSession, renewalDelay, renewSession } from "../session.js";
import {
  addBotMessage,
  addUserTurn,
  botMessage,
  clearTranscript,
  loadTranscript,
  markRated,
  maskLastQuestion,
  saveTranscript,
} from "../transcript.js";
import { BotMessage } from "./BotMessage.jsx";
import { Composer } from "./Composer.jsx";
import { Feedback } from "./Feedback.jsx";

const STATUS_TEXT = {
  connecting: "Ansluter …",
  connected: "",
  reconnecting: "Anslutningen bröts – försöker igen …",
  offline: "Assistenten kan inte nås just nu. Ladda om sidan om en stund.",
};
const MAX_REJECTIONS = 2;

function announcement(message) {
  if (message.text && message.buttons) {
    return `Insatslotsen: ${message.text} Svarsalternativ: ${message.buttons.map((b) => b.title).join(", ")}.`;
  }
  if (message.text) return `Insatslotsen: ${message.text}`;
  if (message.result) return "Insatslotsen har skickat en bedömning enligt riktlinjerna.";
  if (message.quotes) return `Insatslotsen hänvisar till ${message.quotes.length} avsnitt i riktlinjerna.`;
  return "Insatslotsen har svarat.";
}

export function Chat() {
  const [turns, setTurns] = useState(() => loadTranscript());
  const [status, setStatus] = useState("connecting");
  const [notice, setNotice] = useState("");
  const [announcements, setAnnouncements] = useState([]);
  const names = useInterventionNames();
  const connection = useRef(null);
  const session = useRef(null);
  const input = useRef(null);
  const log = useRef(null);

  useEffect(() => {
    let renewTimer = null;
    let rejections = 0;
    let closed = false;

    const scheduleRenewal = () => {
      clearTimeout(renewTimer);
      renewTimer = setTimeout(async () => {
        try {
          session.current = await renewSession(session.current);
          connection.current?.updateSession(session.current);
          scheduleRenewal();
        } catch {
          reopen();
        }
      }, renewalDelay(session.current));
    };

    const adopt = ({ session: opened, renewed }) => {
      session.current = opened;
      if (!renewed) {
        if (loadTranscript().length) setNotice("Samtalet hade gått ut. Ett nytt samtal har startats.");
        clearTranscript();
        setTurns([]);
      }
      scheduleRenewal();
    };

    // The server refused the token (expired or signed with an old secret): renew or start anew.
    const reopen = async () => {
      if (closed) return;
      rejections += 1;
      if (rejections > MAX_REJECTIONS) {
        setStatus("offline");
        return;
      }
      try {
        adopt(await openSession());
        connection.current.updateSession(session.current);
        connection.current.reconnect();
      } catch {
        setStatus("offline");
      }
    };

    openSession()
      .then((opened) => {
        if (closed) return;
        adopt(opened);
        connection.current = connect(session.current, {
          onBotMessage(payload) {
            const message = botMessage(payload);
            if (!message) return;
            setTurns((current) => addBotMessage(current, message));
            setAnnouncements((current) => [...current, { id: message.id, text: announcement(message) }]);
          },
          onMasked(text) {
            setTurns((current) => maskLastQuestion(current, text));
          },
          onStatus(next) {
            if (next === "connected") rejections = 0;
            setStatus(next === "rejected" ? "reconnecting" : next);
            if (next === "rejected") reopen();
          },
          onRejected: reopen,
        });
      })
      .catch(() => setStatus("offline"));

    return () => {
      closed = true;
      clearTimeout(renewTimer);
      connection.current?.close();
    };
  }, []);

  // Saved before the browser paints: what the user sees (a rating's thanks, say) survives a reload
  // made right after, which a deferred effect could miss on a busy machine.
  useLayoutEffect(() => {
    saveTranscript(turns);
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [turns]);

  const send = (payload, shown) => {
    if (!connection.current?.send(payload)) {
      setNotice("Meddelandet kunde inte skickas: ingen anslutning till assistenten just nu.");
      return false;
    }
    setNotice("");
    setAnnouncements([]);
    setTurns((current) => addUserTurn(current, shown));
    input.current?.focus();
    return true;
  };

  const rate = async (turn, rating, passageId) => {
    const problem = await sendFeedback(turn, rating, passageId);
    if (!problem) setTurns((current) => markRated(current, turn.id, rating));
    return problem;
  };

  const lastTurn = turns[turns.length - 1];
  const lastWithButtons = lastTurn?.messages.findLast((m) => m.buttons)?.id;

  return (
    <section class="chat" aria-labelledby="insatslotsen-title">
      <header class="chat-header">
        <h2 id="insatslotsen-title">Insatslotsen</h2>
        <p class="chat-intro">
          Beslutsstöd om sysselsättning och stöd till arbete eller studier. Skriv inga namn,
          personnummer eller andra uppgifter som identifierar personen.
        </p>
      </header>
      <div class="log" ref={log} tabIndex={0} aria-label="Samtalet">
        {turns.length === 0 && (
          <p class="empty">Beskriv personen som ansöker, eller ställ en fråga om riktlinjerna.</p>
        )}
        <ol class="turns">
          {turns.map((turn) => (
            <li class="turn" key={turn.id}>
              <ol class="messages">
                {turn.question !== null && (
                  <li class="message user">
                    <span class="visually-hidden">Du: </span>
                    <p class="text">{turn.question}</p>
                  </li>
                )}
                {turn.messages.map((message) => (
                  <BotMessage
                    key={message.id}
                    message={message}
                    names={names}
                    buttonsActive={message.id === lastWithButtons && status === "connected"}
                    onButton={(button) => send(button.payload, button.title)}
                  />
                ))}
              </ol>
              {turn.messages.length > 0 && <Feedback turn={turn} onRate={rate} />}
            </li>
          ))}
        </ol>
      </div>
      <div class="visually-hidden" aria-live="polite" aria-relevant="additions" data-testid="announcer">
        {announcements.map((item) => <p key={item.id}>{item.text}</p>)}
      </div>
      <p class="connection" role="status">{notice || STATUS_TEXT[status]}</p>
      <Composer inputRef={input} disabled={status === "offline"} onSend={(text) => send(text, text)} />
    </section>
  );
}
