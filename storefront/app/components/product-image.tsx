import { useEffect, useRef, useState } from 'react';

/**
 * A product image, or a drawn placeholder when there is none or it does not load (the image
 * host may be down; a broken-image icon says nothing to a shopper).
 */
export function ProductImage({
  src,
  alt,
  size,
}: {
  src: string | undefined;
  alt: string;
  size: 'card' | 'page' | 'line';
}) {
  const [failed, setFailed] = useState(false);
  const ref = useRef<HTMLImageElement>(null);
  // A server-rendered image can fail before the page's scripts attach onError: look once.
  useEffect(() => {
    const img = ref.current;
    if (img && img.complete && img.naturalWidth === 0) setFailed(true);
  }, [src]);
  if (!src || failed)
    return (
      <div
        className={`image image-${size} image-placeholder`}
        role="img"
        aria-label={alt ? `${alt} (no image)` : 'No image'}
      >
        <svg viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <path d="M8 32c9-11 23-14 36-7l10-8v30l-10-8c-13 7-27 4-36-7z" />
          <circle cx="20" cy="30" r="2" />
        </svg>
      </div>
    );
  return (
    <img
      ref={ref}
      className={`image image-${size}`}
      src={src}
      alt={alt}
      loading={size === 'page' ? 'eager' : 'lazy'}
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
