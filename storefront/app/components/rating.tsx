/** Stars for a 0-5 rating, with the number for screen readers and a tooltip. */
export function Rating({ value, count }: { value: number | null; count?: number }) {
  if (value === null)
    return <span className="rating muted">{count === 0 ? 'No reviews yet' : 'Not rated'}</span>;
  const stars = Math.min(5, Math.max(0, Math.round(value)));
  const label = `Rated ${value.toFixed(1)} out of 5${count !== undefined ? ` (${count} review${count === 1 ? '' : 's'})` : ''}`;
  return (
    <span className="rating" title={label}>
      <span aria-hidden="true">
        {'★'.repeat(stars)}
        {'☆'.repeat(5 - stars)}
      </span>
      <span className="visually-hidden">{label}</span>
      {count !== undefined && (
        <span className="muted" aria-hidden="true">
          {' '}
          ({count})
        </span>
      )}
    </span>
  );
}
