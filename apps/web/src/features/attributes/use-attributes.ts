import type { AttributeDefinition, AttributeEntity } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/http.ts';

export const ATTRIBUTES_KEY = ['attribute-definitions'];

/** The account's attribute definitions (everyone reads them; admins change them). */
export function useAttributeDefinitions(entity?: AttributeEntity) {
  return useQuery({
    queryKey: ATTRIBUTES_KEY,
    queryFn: () =>
      get<{ items: AttributeDefinition[] }>('/api/v1/attribute-definitions').then((r) => r.items),
    staleTime: 60_000,
    select: (items) => (entity ? items.filter((d) => d.entity === entity) : items),
  });
}
