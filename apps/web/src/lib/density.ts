import { useStoredChoice } from './stored-choice.ts';

export type Density = 'comfortable' | 'compact';
const DENSITIES = ['comfortable', 'compact'] as const;

/** Row density of the lists: compact fits about half as many more conversations on a screen. */
export function useDensity(): [Density, (d: Density) => void] {
  return useStoredChoice('switchboard.density', DENSITIES, 'comfortable');
}
