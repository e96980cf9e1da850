/** A wait in words, announced politely to screen readers. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      {what}
    </p>
  );
}
