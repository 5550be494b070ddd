import { mockClient } from "aws-sdk-client-mock";

/** A client's `send`, as a fake's sinon stub answers it. */
type Send = (this: unknown, command: object, ...rest: unknown[]) => unknown;

/** A sinon stub's call records can be dropped. */
interface Recording {
  resetHistory(): void;
}

/** An SDK client class (what mockClient takes), by what the routes need of it. */
type ClientClass = Parameters<typeof mockClient>[0] & { readonly name: string; readonly prototype: object };

interface Route {
  /** The operations this fake answers; all of its client's when undefined. */
  readonly operations?: ReadonlySet<string>;
  readonly send: Send;
}

/**
 * Lets several fakes answer one SDK client. The plugins' fakes stub
 * `Client.prototype.send` themselves (aws-sdk-client-mock), one fake per
 * client, and seeding a second one resets the first: two resource types of
 * one service (Lambda functions and layers, SES identities and configuration
 * sets) could not be seeded together. Each fake is installed in turn and its
 * stub taken off the prototype; `mount` then puts one stub per client there
 * that hands each command to the fake that answers its operation, and fails
 * loudly on a command no fake answers. Sinon records every call a stub
 * answers (its arguments and answer): a run of 60,000 calls would hold them
 * all, so each is dropped once its call is answered, and the peak RSS stays
 * the runner's own.
 */
export class MockRoutes {
  readonly #routes = new Map<ClientClass, Route[]>();
  readonly #before = new Map<ClientClass, (operation: string) => void>();
  readonly #mounted: { restore(): void }[] = [];

  /**
   * Runs `install`, which must stub `clientClass.prototype.send` (a fixture's
   * `seed`, or a fake's `install(mockClient(clientClass))`), and keeps that
   * stub for `operations` (every operation of the client when left out).
   */
  take(clientClass: ClientClass, install: () => void, operations?: readonly string[]): void {
    install();
    const stub = (clientClass.prototype as { send: Send }).send;
    if (typeof (stub as { restore?: unknown }).restore !== "function") {
      throw new Error(`bench: installing a fake did not stub ${clientClass.name}.send`);
    }
    const routes = this.#routes.get(clientClass) ?? [];
    routes.push({ send: stub, ...(operations ? { operations: new Set(operations) } : {}) });
    this.#routes.set(clientClass, routes);
  }

  /** Runs `hook` before each call of the client reaches its fake (to finish a fake's asynchronous deletes). */
  before(clientClass: ClientClass, hook: (operation: string) => void): void {
    this.#before.set(clientClass, hook);
  }

  /** Puts one routing stub on each client; returns what undoes it. */
  mount(): () => void {
    for (const [clientClass, routes] of this.#routes) {
      const hook = this.#before.get(clientClass);
      const stub = mockClient(clientClass);
      const service = clientClass.name.replace(/Client$/, "");
      const recordings = [stub.send, ...routes.map((r) => r.send)] as unknown as Recording[];
      // Typed loosely: the answers are the fakes', whatever the command.
      (stub.send as { callsFake(fake: Send): unknown }).callsFake(async function route(
        this: unknown,
        command: object,
        ...rest: unknown[]
      ) {
        const operation = command.constructor.name.replace(/Command$/, "");
        const route = routes.find((r) => !r.operations || r.operations.has(operation));
        if (!route) throw new Error(`bench: no fake answers ${service} ${operation}`);
        hook?.(operation);
        const answer = await route.send.call(this, command, ...rest);
        // Past the await no stub is invoking, which sinon requires to reset one. Dropped after every
        // call: kept for even 256 calls a client, they were a third of the peak RSS at 100 copies.
        for (const recording of recordings) recording.resetHistory();
        if (answer === undefined) throw new Error(`bench: the ${service} fake does not answer ${operation}`);
        return answer;
      });
      this.#mounted.push(stub);
    }
    return () => {
      for (const stub of this.#mounted.splice(0)) stub.restore();
    };
  }
}
