// Thread bootstrap: the database layer is TypeScript; register tsx's loader inside this thread (the
// parent's loader does not reach workers under every runner), then start it.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
