import { useEffect, useRef } from 'react';

/**
 * Ctrl+K (⌘K on a Mac) opens the palette from anywhere, the reply box included: the browser's own
 * use of the keys (its search bar) is taken over, as in other consoles.
 */
export function usePaletteKey(toggle: () => void): void {
  const current = useRef(toggle);
  current.current = toggle;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        current.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
