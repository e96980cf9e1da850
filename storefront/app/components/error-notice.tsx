import type { ShopError } from '../lib/errors.ts';

/** An error in words, announced to screen readers, with a retry where one makes sense. */
export function ErrorNotice({ error, onRetry }: { error: ShopError; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert" data-code={error.code}>
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
