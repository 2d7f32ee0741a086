/**
 * Where an operator message's text goes when it carries files. The console shows the text above the
 * files, so the customer should read it first: as the first file's caption when that file can carry
 * one and the text fits the provider's caption limit (one message instead of text + file), otherwise
 * as its own message(s) before the files. Never after them.
 */
export type CaptionPlan = 'caption' | 'before' | 'none';

export function captionPlan(
  text: string | null,
  attachmentCount: number,
  firstTakesCaption: boolean,
  captionMax: number,
): CaptionPlan {
  if (text === null) return 'none';
  if (attachmentCount > 0 && firstTakesCaption && text.length <= captionMax) return 'caption';
  return 'before';
}
