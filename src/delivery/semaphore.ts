/**
 * At most `size` tasks at once; priority tasks are served before ordinary ones. The worker uses it so that
 * only the recipients about to be sent are read from storage, instead of every recipient of every item in
 * hand at once (which stalled the event loop for hundreds of milliseconds and bunched the sends).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: { start: () => void; priority: boolean }[] = [];

  constructor(private readonly size: number) {}

  async run<T>(priority: boolean, task: () => Promise<T>): Promise<T> {
    await this.enter(priority);
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.start();
    }
  }

  private enter(priority: boolean): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter = {
        start: () => {
          this.active++;
          resolve();
        },
        priority,
      };
      const firstOrdinary = priority ? this.waiting.findIndex((other) => !other.priority) : -1;
      this.waiting.splice(firstOrdinary === -1 ? this.waiting.length : firstOrdinary, 0, waiter);
    });
  }
}
