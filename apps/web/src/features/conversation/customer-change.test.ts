import { describe, expect, it } from 'vitest';
import { customerChange } from './customer-change.ts';

describe('customerChange', () => {
  it('a deletion wins over an edit; only customer messages; empty meta means nothing', () => {
    expect(customerChange({ authorKind: 'contact', meta: { deletedAt: 5, editedAt: 3 } })).toBe('deleted');
    expect(customerChange({ authorKind: 'contact', meta: { editedAt: 3, edits: [] } })).toBe('edited');
    expect(customerChange({ authorKind: 'contact', meta: {} })).toBeNull();
    expect(customerChange({ authorKind: 'user', meta: { deletedAt: 5 } })).toBeNull();
    expect(customerChange({ authorKind: 'contact', meta: { deletedAt: 'yes' } })).toBeNull();
  });
});
