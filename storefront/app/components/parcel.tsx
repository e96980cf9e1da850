import type { ParcelFieldsFragment } from '../graphql/generated.ts';
import { formatDate, formatMoment } from '../lib/dates.ts';
import { actorLabel, FULFILLMENT_LABELS, parcelSteps } from '../lib/fulfillment.ts';

/** The parcel's progress as a step line (the current step marked for screen readers too). */
export function ParcelSteps({ parcel }: { parcel: ParcelFieldsFragment }) {
  const steps = parcelSteps(parcel.status, parcel.events);
  return (
    <ol className="parcel-steps" aria-label="Parcel progress" data-testid="parcel-steps">
      {steps.map((step) => (
        <li
          key={step.status}
          className={`parcel-step parcel-step-${step.state}`}
          aria-current={step.state === 'current' ? 'step' : undefined}
        >
          <span className="parcel-step-label">{step.label}</span>
          <span className="visually-hidden">
            {step.state === 'done' ? ' (done)' : step.state === 'current' ? ' (now)' : ''}
          </span>
          {step.at && step.state !== 'todo' && (
            <time dateTime={step.at} className="muted">
              {formatMoment(step.at)}
            </time>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The shipment's facts, once it has any. */
export function ShipmentFacts({
  parcel,
}: {
  parcel: Pick<ParcelFieldsFragment, 'carrier' | 'trackingNumber' | 'estimatedDelivery'>;
}) {
  if (!parcel.carrier && !parcel.trackingNumber && !parcel.estimatedDelivery) return null;
  return (
    <dl className="facts" data-testid="shipment">
      {parcel.carrier && (
        <>
          <dt>Carrier</dt>
          <dd data-testid="shipment-carrier">{parcel.carrier}</dd>
        </>
      )}
      {parcel.trackingNumber && (
        <>
          <dt>Tracking number</dt>
          <dd data-testid="shipment-tracking">{parcel.trackingNumber}</dd>
        </>
      )}
      {parcel.estimatedDelivery && (
        <>
          <dt>Estimated delivery</dt>
          <dd data-testid="shipment-estimate">
            <time dateTime={parcel.estimatedDelivery}>{formatDate(parcel.estimatedDelivery)}</time>
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * A step's detail when it says more than the step and its actor (the API writes "Packed (by
 * the carrier)" for plain steps, and the carrier, tracking number and estimate for a shipment,
 * or a return's units and refund, each followed by who made it).
 */
function eventDetail(event: ParcelFieldsFragment['events'][number]): string | null {
  if (!event.detail) return null;
  const plain = `${FULFILLMENT_LABELS[event.status]} (by`.toLowerCase();
  if (event.detail.toLowerCase().startsWith(plain)) return null;
  // Who made the step is shown beside it already.
  return event.detail.replace(/ \(by [^()]*\)$/, '') || null;
}

/** The parcel on the shopper's order page: status, step line, shipment and every step so far. */
export function Parcel({ parcel }: { parcel: ParcelFieldsFragment }) {
  return (
    <section className="parcel" aria-labelledby="parcel-title" data-testid="parcel">
      <h2 id="parcel-title">Parcel</h2>
      <p>
        Parcel status:{' '}
        <span
          className={`status status-${parcel.status}`}
          data-testid="fulfillment-status"
          data-status={parcel.status}
          aria-live="polite"
        >
          {FULFILLMENT_LABELS[parcel.status]}
        </span>
      </p>
      <ParcelSteps parcel={parcel} />
      <ShipmentFacts parcel={parcel} />
      {parcel.events.length === 0 ? (
        <p className="muted">
          Nothing has happened to the parcel yet: it is packed once the order is paid and confirmed.
        </p>
      ) : (
        <ol className="timeline" aria-label="Parcel events" aria-live="polite">
          {parcel.events.map((event, index) => (
            <li key={`${index}-${event.status}-${event.at}`} data-testid="fulfillment-event">
              <strong>{FULFILLMENT_LABELS[event.status]}</strong>{' '}
              <span className="muted">{actorLabel(event.actor)}</span>
              {eventDetail(event) && <span> — {eventDetail(event)}</span>}
              <time dateTime={event.at}>{formatMoment(event.at)}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
