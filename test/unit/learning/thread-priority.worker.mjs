// Worker for thread-priority.test.ts: applies the nice value it is given and answers with the result.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { niceThisThread } = await import('../../../server/learning/thread-priority.ts');
parentPort.postMessage(niceThisThread(workerData));
