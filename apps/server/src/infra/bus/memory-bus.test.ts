import { eventBusContract } from './event-bus.contract.ts';
import { MemoryBus } from './memory-bus.ts';

eventBusContract('MemoryBus', async (opts) => new MemoryBus(opts));
