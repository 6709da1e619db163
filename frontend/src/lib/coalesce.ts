/**
 * One reload at a time for a list that change events ask to refresh. Events
 * come in bursts (a bulk import, Test both saying two things changed): a call
 * while a reload runs returns that reload and asks for exactly one more after
 * it. A failed reload keeps what is shown; the next event tries again.
 */
export function coalesced(reload: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await reload();
        } catch {
          // Keep what is shown.
        }
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };
}
