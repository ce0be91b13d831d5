/**
 * One call to get a NeuMF on the best available tfjs backend: initialises the backend first unless one was
 * already chosen (ml/backend.ts), so callers cannot forget it and a second model does not redo the choice.
 */
import { activeBackend, initBackend } from '../backend.ts';
import type { InitBackendOptions } from '../backend.ts';
import { NeuMF } from './neumf.ts';
import type { NeuMFOptions } from './neumf-options.ts';

export async function createNeuMF(opts: NeuMFOptions = {}, backend: InitBackendOptions = {}): Promise<NeuMF> {
  if (!activeBackend()) await initBackend(backend);
  return NeuMF.create(opts);
}
