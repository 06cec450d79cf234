// Following an asynchronous operation: the job a 202's Location names, polled until it is
// COMPLETE or FAILED. A broker's work shows as POLLING while the Cloud Controller asks the
// broker how it goes.

import { ApiError, get } from './api.js';

// What a job's state means, in words.
export const JOB_WORDS = {
  PROCESSING: 'the platform is working on it',
  POLLING: 'the service broker is working on it',
  COMPLETE: 'done',
  FAILED: 'failed',
};

// Polls the job of `answer` (an API answer with `location`) until it ends, calling
// `onState(state)` whenever its state changes. Resolves when it is COMPLETE (at once when
// there is no job: the change was made synchronously); throws the job's first error in words
// when it FAILED, or when `isStopped()` says nobody waits any more.
export async function followJob(answer, { onState = () => {}, isStopped = () => false, ms = 600_000 } = {}) {
  const location = answer && answer.location;
  if (!location) return;
  const path = new URL(location, window.location.href).pathname;
  const until = Date.now() + ms;
  let last = '';
  for (let wait = 500; Date.now() < until; wait = Math.min(wait * 1.5, 3000)) {
    if (isStopped()) throw new ApiError(0, 'No longer followed.');
    const job = await get(path);
    if (job.state !== last) {
      last = job.state;
      onState(job.state);
    }
    if (job.state === 'COMPLETE') return;
    if (job.state === 'FAILED') {
      const e = (job.errors || [])[0];
      throw new ApiError(422, e && e.detail ? e.detail : 'The operation failed.');
    }
    await new Promise((r) => setTimeout(r, wait));
  }
  throw new ApiError(0, 'The operation is taking longer than expected; it goes on in the background.');
}
