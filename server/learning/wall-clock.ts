/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable across the threads of one process
 * (each thread's `performance.now()` counts from its own origin; adding the origin makes them agree).
 * The learner thread stamps its reports with it and the event loop reads the learner's lag against it.
 */
export const wallNow = (): number => performance.timeOrigin + performance.now();
