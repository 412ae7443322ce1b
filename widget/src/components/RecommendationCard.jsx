// The check result as a card: each insats with its status, its criteria marked met, unmet or
// unknown, the time interval, next steps, and the version of the rules that answered.
// Every word, mark and citation comes with the result (knowledge/criteria/presentation.yaml via
// the server), so the card, the text reply and the Teams card cannot drift apart.

const STATUS_CLASS = {
  eligible: "status-eligible",
  not_eligible: "status-not-eligible",
  undetermined: "status-undetermined",
};

function Criterion({ criterion }) {
  return (
    <li class={`criterion criterion-${criterion.status}`}>
      <span class="criterion-mark" aria-hidden="true">{criterion.mark}</span>
      <span class="visually-hidden">{criterion.status_label}: </span>
      <span>
        {criterion.text}
        {criterion.assessed_by_label && <em> – {criterion.assessed_by_label}</em>}
        {criterion.citation && <span class="source"> ({criterion.citation})</span>}
      </span>
    </li>
  );
}

function Intervention({ intervention, names, badge, idPrefix }) {
  const info = names[intervention.id];
  const headingId = `${idPrefix}-${intervention.id}`;
  return (
    <section class={`insats ${badge ? "insats-primary" : ""}`} aria-labelledby={headingId}>
      <h4 id={headingId}>
        {badge && <span class="badge">{badge}</span>}
        {intervention.name ?? info?.name ?? intervention.id}
        {(intervention.legal_basis ?? info?.legal_basis) && (
          <span class="legal-basis"> ({intervention.legal_basis ?? info.legal_basis})</span>
        )}
      </h4>
      <p class={`status ${STATUS_CLASS[intervention.status] ?? ""}`}>{intervention.status_label}</p>
      <details open={Boolean(badge)}>
        <summary>Kriterier ({intervention.criteria.length})</summary>
        <ul class="criteria">
          {intervention.criteria.map((criterion) => <Criterion key={criterion.id} criterion={criterion} />)}
        </ul>
      </details>
    </section>
  );
}

function ListPart({ title, items }) {
  if (items.length === 0) return null;
  return (
    <section class="card-part" aria-label={title}>
      <h4>{title}</h4>
      <ul class="steps">
        {items.map((item, index) => <li key={index}>{item}</li>)}
      </ul>
    </section>
  );
}

function order(interventions, primary) {
  const rank = { eligible: 0, undetermined: 1, not_eligible: 2 };
  return [...interventions].sort(
    (a, b) => (b.id === primary) - (a.id === primary) || rank[a.status] - rank[b.status],
  );
}

export function RecommendationCard({ result, names, idPrefix }) {
  // The eligible primary, or while none is eligible the likeliest (provisional) insats.
  const primary = result.recommendation?.primary ?? null;
  const shown = primary ?? result.recommendation?.provisional?.id ?? null;
  const headline = result.labels?.headline ?? {};
  const badge = primary ? headline.primary : headline.provisional;
  const routes = primary ? [] : result.recommendation?.way_forward?.routes ?? [];
  const conflicts = result.conflicts ?? [];
  const omfattning = result.omfattning ?? {};
  const steps = result.next_steps ?? [];
  const rules = result.versions?.rules;
  return (
    <article class="card" aria-label="Bedömning enligt riktlinjerna">
      <h3>Bedömning enligt riktlinjerna</h3>
      {order(result.interventions, shown).map((intervention) => (
        <Intervention
          key={intervention.id}
          intervention={intervention}
          names={names}
          badge={intervention.id === shown ? badge : null}
          idPrefix={idPrefix}
        />
      ))}
      {!shown && <ListPart title="Vägar vidare" items={routes.map((r) => `${r.name}: ${r.text} (${r.citation})`)} />}
      <ListPart title="Att klargöra" items={conflicts.map((c) => `${c.text} (${c.citation})`)} />
      <section class="card-part" aria-label="Omfattning">
        <h4>Omfattning</h4>
        <p>
          {omfattning.interval ? <strong>{omfattning.interval} timmar/vecka. </strong> : null}
          {omfattning.reason}
        </p>
      </section>
      {steps.length > 0 && (
        <section class="card-part" aria-label="Nästa steg">
          <h4>Nästa steg</h4>
          <ol class="steps">
            {steps.map((step, index) => <li key={index}>{typeof step === "string" ? step : step.text}</li>)}
          </ol>
        </section>
      )}
      {result.recommendation?.disclaimer && <p class="disclaimer">{result.recommendation.disclaimer}</p>}
      {rules && <p class="version">Regelversion: <code>{rules}</code></p>}
    </article>
  );
}
