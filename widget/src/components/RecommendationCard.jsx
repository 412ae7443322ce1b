// The check result as a card: each insats with its status, its criteria marked met, unmet or
// unknown, the time interval, next steps, and the version of the rules that answered.

const STATUS = {
  eligible: { label: "Kriterierna uppfyllda", className: "status-eligible" },
  not_eligible: { label: "Inte aktuell", className: "status-not-eligible" },
  undetermined: { label: "Öppen – uppgifter saknas", className: "status-undetermined" },
};

const CRITERION = {
  met: { mark: "✓", label: "uppfyllt" },
  unmet: { mark: "✗", label: "ej uppfyllt" },
  unknown: { mark: "?", label: "okänt" },
};

function citation(source) {
  if (!source) return null;
  const doc = String(source.doc ?? "").slice(0, 3);
  const section = String(source.section ?? "");
  return /^[\d.]+$/.test(section) ? `${doc} §${section}` : `${doc} ”${section}”`;
}

function Criterion({ criterion }) {
  const kind = CRITERION[criterion.status] ?? CRITERION.unknown;
  const source = citation(criterion.source);
  return (
    <li class={`criterion criterion-${criterion.status}`}>
      <span class="criterion-mark" aria-hidden="true">{kind.mark}</span>
      <span class="visually-hidden">{kind.label}: </span>
      <span>
        {criterion.text}
        {criterion.assessed_by === "handlaggarens_bedomning" && <em> – handläggarens bedömning</em>}
        {source && <span class="source"> ({source})</span>}
      </span>
    </li>
  );
}

function Intervention({ intervention, names, primary, idPrefix }) {
  const status = STATUS[intervention.status] ?? STATUS.undetermined;
  const info = names[intervention.id];
  const headingId = `${idPrefix}-${intervention.id}`;
  return (
    <section class={`insats ${primary ? "insats-primary" : ""}`} aria-labelledby={headingId}>
      <h4 id={headingId}>
        {primary && <span class="badge">Förslag</span>}
        {info?.name ?? intervention.id}
        {info?.legal_basis && <span class="legal-basis"> ({info.legal_basis})</span>}
      </h4>
      <p class={`status ${status.className}`}>{status.label}</p>
      <details open={primary}>
        <summary>Kriterier ({intervention.criteria.length})</summary>
        <ul class="criteria">
          {intervention.criteria.map((criterion) => <Criterion key={criterion.id} criterion={criterion} />)}
        </ul>
      </details>
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
  const primary = result.recommendation?.primary ?? null;
  const omfattning = result.omfattning ?? {};
  const steps = result.next_steps ?? [];
  const rules = result.versions?.rules;
  return (
    <article class="card" aria-label="Bedömning enligt riktlinjerna">
      <h3>Bedömning enligt riktlinjerna</h3>
      {order(result.interventions, primary).map((intervention) => (
        <Intervention
          key={intervention.id}
          intervention={intervention}
          names={names}
          primary={intervention.id === primary}
          idPrefix={idPrefix}
        />
      ))}
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
