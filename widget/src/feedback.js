// POST /api/feedback: the rating of one answer with the question, the answer and its versions.
import { answerText, answerVersions } from "./transcript.js";

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
    return response.status === 201;
  } catch {
    return false;
  }
}
