// POST /api/feedback: the rating of one answer with the question, the answer and its versions.
import { answerText, answerVersions } from "./transcript.js";

const FAILED = "Omdömet kunde inte sparas just nu. Försök igen om en stund.";

/** Sends the rating; resolves to null when it was stored, else a Swedish message saying why not. */
export async function sendFeedback(turn, rating, passageId) {
  const body = {
    rating,
    question: turn.question ?? "",
    answer: answerText(turn),
    channel: "widget",
  };
  if (passageId) body.passage_id = passageId;
  const versions = answerVersions(turn);
  if (versions) body.versions = versions;
  try {
    const response = await fetch("/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status === 201) return null;
    const detail = (await response.json().catch(() => ({}))).detail;
    return typeof detail === "string" ? detail : FAILED;
  } catch {
    return FAILED;
  }
}
