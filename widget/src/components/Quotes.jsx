// The quoted passages an answer rests on; each opens the passage in its document at /passage/<id>.

export function Quotes({ quotes }) {
  return (
    <section class="quotes" aria-label="Källor i riktlinjerna">
      <h3>Källor</h3>
      <ul>
        {quotes.map((quote) => (
          <li key={quote.passage_id}>
            <a href={`/passage/${encodeURIComponent(quote.passage_id)}`} target="_blank" rel="noopener">
              {quote.citation}
              {quote.title ? ` – ${quote.title}` : ""}
              <span class="visually-hidden"> (öppnas i ny flik)</span>
            </a>
            {quote.text && <blockquote>{quote.text}</blockquote>}
          </li>
        ))}
      </ul>
    </section>
  );
}
