/**
 * Admission control for expensive requests: at most `inFlight` run at once
 * in this process, at most `queued` wait for a turn, and none waits longer
 * than `maxWaitMs`. Past that a request is refused at once (SERVER_BUSY,
 * 503 with Retry-After) instead of joining a queue that grows: under a flood
 * the server keeps answering cheap queries and its memory stays bounded by
 * `inFlight` times what the costliest allowed query needs.
 */
export class Admission {
  private running = 0;
  private readonly waiting: Array<{ admit: () => void; timer: NodeJS.Timeout }> = [];

  constructor(
    readonly inFlight: number,
    readonly queued: number,
    readonly maxWaitMs: number,
  ) {}

  /** Waits for a turn; resolves to the function that gives it back, or to undefined when the request must be refused. */
  enter(): Promise<(() => void) | undefined> {
    if (this.running < this.inFlight) {
      this.running += 1;
      return Promise.resolve(this.leaveOnce());
    }
    if (this.waiting.length >= this.queued) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          resolve(this.leaveOnce());
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          resolve(undefined);
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private leaveOnce(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      // The turn passes straight to the next in line, so `running` never dips below what is admitted.
      if (next) next.admit();
      else this.running -= 1;
    };
  }
}
