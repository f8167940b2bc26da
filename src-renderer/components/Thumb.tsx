// A thumbnail that turns into a quiet placeholder when the file is gone (moved or deleted image),
// instead of the browser's broken-image icon.
import { useState } from 'react';

export function Thumb({ src, alt, className }: { src: string; alt: string; className?: string }) {
  // The failure belongs to one source: virtualised rows reuse this component for other images.
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  if (failedSrc === src || !src) return <span className={`${className ?? ''} thumb-missing`} title="Thumbnail not available" aria-label={alt || undefined} />;
  return <img src={src} alt={alt} className={className} loading="lazy" draggable={false} onError={() => setFailedSrc(src)} />;
}
