// A thumbnail that turns into a quiet placeholder when the file is gone (moved or deleted image),
// instead of the browser's broken-image icon.
import { useState } from 'react';

export function Thumb({ src, alt, className }: { src: string; alt: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  if (failed || !src) return <span className={`${className ?? ''} thumb-missing`} title="Thumbnail not available" aria-label={alt || undefined} />;
  return <img src={src} alt={alt} className={className} loading="lazy" draggable={false} onError={() => setFailed(true)} />;
}
