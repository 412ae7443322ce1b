// One message from the bot: text, quick-reply buttons, the recommendation card, quoted sources.
import { Quotes } from "./Quotes.jsx";
import { RecommendationCard } from "./RecommendationCard.jsx";

export function BotMessage({ message, names, buttonsActive, onButton }) {
  return (
    <li class="message bot">
      <span class="visually-hidden">Insatslotsen: </span>
      {message.text && <p class="text">{message.text}</p>}
      {message.image && <img src={message.image} alt="" />}
      {message.result && <RecommendationCard result={message.result} names={names} idPrefix={message.id} />}
      {message.quotes && <Quotes quotes={message.quotes} />}
      {message.buttons && buttonsActive && (
        <div class="quick-replies" role="group" aria-label="Svarsalternativ">
          {message.buttons.map((button) => (
            <button type="button" key={button.payload + button.title} onClick={() => onButton(button)}>
              {button.title}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
