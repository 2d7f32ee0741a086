import { describe, expect, it } from 'vitest';
import { previewBody } from './provider-templates.ts';

describe('template preview', () => {
  it('fills the placeholders typed so far and leaves the others visible', () => {
    expect(previewBody('Order {{1}} arrives {{2}}', ['A-1', ''])).toBe('Order A-1 arrives {{2}}');
    expect(previewBody('Hi {{ 1 }}, {{1}}!', ['Ann'])).toBe('Hi Ann, Ann!');
    expect(previewBody('No values', [])).toBe('No values');
  });
});
