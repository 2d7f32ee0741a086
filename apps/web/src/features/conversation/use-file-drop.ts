import { type RefObject, useEffect, useState } from 'react';

/** Files from a drag or paste (only real files: dragged text or links are left to the browser). */
export function filesOf(data: DataTransfer | null): File[] {
  return data ? [...data.files] : [];
}

/**
 * Files dropped anywhere on the element's parent (the conversation pane) are passed to `addFiles`;
 * answers whether files are being dragged over it, for the drop hint.
 */
export function useFileDrop(root: RefObject<HTMLElement | null>, addFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const zone = root.current?.parentElement;
    if (!zone) return;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!(e.relatedTarget instanceof Node) || !zone.contains(e.relatedTarget)) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      setDragging(false);
      const dropped = filesOf(e.dataTransfer);
      if (dropped.length === 0) return;
      e.preventDefault();
      addFiles(dropped);
    };
    // A file dropped just beside the pane must not make the browser leave the console to show it.
    const miss = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    zone.addEventListener('dragenter', over);
    zone.addEventListener('dragover', over);
    zone.addEventListener('dragleave', leave);
    zone.addEventListener('drop', drop);
    window.addEventListener('dragover', miss);
    window.addEventListener('drop', miss);
    return () => {
      zone.removeEventListener('dragenter', over);
      zone.removeEventListener('dragover', over);
      zone.removeEventListener('dragleave', leave);
      zone.removeEventListener('drop', drop);
      window.removeEventListener('dragover', miss);
      window.removeEventListener('drop', miss);
    };
  }, [addFiles, root]);
  return dragging;
}
