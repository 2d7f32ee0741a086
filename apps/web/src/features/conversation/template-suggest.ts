import type { Template } from '../../api/types.ts';

/** "/que" typed at the very start of the box asks for a template. */
export function templateQuery(text: string, caret: number): string | null {
  const m = /^\/(\S*)$/.exec(text.slice(0, caret));
  return m ? m[1]! : null;
}

export function matchesTemplate(tpl: Pick<Template, 'shortcut' | 'name'>, query: string): boolean {
  const q = query.toLowerCase();
  return tpl.shortcut.toLowerCase().includes(q) || tpl.name.toLowerCase().includes(q);
}
