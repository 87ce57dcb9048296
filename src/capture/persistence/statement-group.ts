/**
 * Group commit for one kind of single-row statement. A request made while no statement of its
 * kind is running runs at once, alone; requests made while one runs wait for it and then go
 * together, in one statement. Idle, nothing waits longer than before; busy, one round trip
 * serves many rows. The process is CPU-bound under load, and each statement costs it a socket
 * write and a driver round trip however small the statement is.
 *
 * `run` receives the waiting requests (at most `max`) and answers each, in the same order.
 */
export class StatementGroup<Request, Answer> {
  private waiting: Pending<Request, Answer>[] = [];
  private running = false;

  constructor(
    private readonly run: (requests: Request[]) => Promise<Answer[]>,
    private readonly max = 200,
  ) {}

  submit(request: Request): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.max);
        try {
          const answers = await this.run(group.map((p) => p.request));
          group.forEach((p, i) => p.resolve(answers[i]!));
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

interface Pending<Request, Answer> {
  request: Request;
  resolve: (answer: Answer) => void;
  reject: (err: unknown) => void;
}
